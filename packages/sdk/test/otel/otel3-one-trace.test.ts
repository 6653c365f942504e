import { startOtel3 } from './support/otel3-line.ts';
import { describeOneTrace } from './support/one-trace-scenario.ts';

describeOneTrace('3.x (@opentelemetry/sdk-trace 3, instrumentation-undici 0.34, instrumentation-http 0.301)', startOtel3);
