export { DiscordDouble, INTENTS, startDiscordDouble } from './double.js';
export type { DoubleAttachment, DoubleOptions, DoubleUser, GatewayFrame, InteractionRecord, RecordedRequest } from './double.js';
export { messageViolations, commandViolations } from './validate.js';
