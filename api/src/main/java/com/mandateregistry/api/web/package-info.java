/** What REST controllers of every module share: the caller, API errors and opaque cursors. */
package com.mandateregistry.api.web;
