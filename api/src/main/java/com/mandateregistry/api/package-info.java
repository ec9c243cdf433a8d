/** The message contract shared by every module: commands, events and the values they carry. */
package com.mandateregistry.api;
