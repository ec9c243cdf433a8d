/** HTTP concerns shared by every endpoint: the error shape, body limits, correlation ids, the caller. */
package com.mandateregistry.infra.web;
