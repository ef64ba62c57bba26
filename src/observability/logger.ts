import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Structured JSON logs, one line per event, to stdout (or the given stream). */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, base: { service: 'patchpath' }, timestamp: pino.stdTimeFunctions.isoTime }, destination ?? process.stdout);
}
