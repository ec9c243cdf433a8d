/** Wiring: the Spring Boot application that assembles every module into one service. */
package com.mandateregistry.infra;
