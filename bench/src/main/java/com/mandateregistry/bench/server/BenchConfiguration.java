package com.mandateregistry.bench.server;

import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * What the benchmark adds to the service, and only when the benchmark starts it as an extra
 * source next to the application class: the no-op endpoint (the floor), the stats endpoints,
 * request timing in Tomcat, and method timing of the verification path.
 *
 * <p>The application scans {@code com.mandateregistry}, which includes this package; {@link
 * ScanExclusion} (registered by the benchmark before the context refreshes) keeps the scan out of
 * it, so that nothing here is picked up by accident and every bean is declared here once.
 */
@Configuration(proxyBeanMethods = false)
@Import({NoopController.class, BenchStatsController.class})
public class BenchConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> benchTimingValve() {
    return factory -> factory.addEngineValves(new TimingValve());
  }

  @Bean
  static BeanPostProcessor benchMethodTiming() {
    return new MethodTiming();
  }

  /**
   * An experiment, off unless {@code bench.publisher-batch} is above 1: the Kafka publisher's
   * tracking processor takes up to that many events per unit of work (one token update and one
   * wait for the broker's acknowledgements per batch) instead of one. Registered after infra's
   * configuration of the same processor, which it replaces; everything else is as infra sets it.
   */
  @Bean
  ConfigurerModule benchPublisherBatch(Environment env) {
    int batch = env.getProperty("bench.publisher-batch", Integer.class, 0);
    String group = env.getProperty(
        "axon.kafka.publisher.processing-group", "__axon-kafka-event-publishing-group");
    return new ConfigurerModule() {
      @Override
      public void configureModule(Configurer configurer) {
        if (batch > 1) {
          configurer.eventProcessing().registerTrackingEventProcessorConfiguration(
              group,
              c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                  .andBatchSize(batch)
                  .andInitialTrackingToken(StreamableMessageSource::createTailToken));
        }
      }

      @Override
      public int order() {
        return Integer.MAX_VALUE;
      }
    };
  }

  /** Keeps component scanning out of the benchmark's packages. */
  public static final class ScanExclusion extends TypeExcludeFilter {
    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
      return reader.getClassMetadata().getClassName().startsWith("com.mandateregistry.bench.");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ScanExclusion;
    }

    @Override
    public int hashCode() {
      return ScanExclusion.class.hashCode();
    }
  }
}
