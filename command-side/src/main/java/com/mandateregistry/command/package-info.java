/** The write side: aggregates that decide, and REST controllers that send them commands. */
package com.mandateregistry.command;
