export { DiscordDouble, INTENTS, shardOf, startDiscordDouble } from './double.js';
export type { DoubleAttachment, DoubleGuild, DoubleOptions, DoubleUser, GatewayFrame, InteractionRecord, RecordedRequest } from './double.js';
export { messageViolations, commandViolations } from './validate.js';
