import { startOtel2 } from './support/otel2-line.ts';
import { describeOneTrace } from './support/one-trace-scenario.ts';

describeOneTrace('2.x (@opentelemetry/sdk-trace-node 2, instrumentation-undici 0.33, instrumentation-http 0.223)', startOtel2);
