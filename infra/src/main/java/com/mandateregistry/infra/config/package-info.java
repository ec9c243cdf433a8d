/** Configuration properties of the service and the beans every module shares. */
package com.mandateregistry.infra.config;
