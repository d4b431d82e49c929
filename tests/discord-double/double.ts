/* eslint-disable @typescript-eslint/no-explicit-any */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ALL_PERMISSIONS,
  EVERYONE_PERMISSIONS,
  botToken,
  interactionToken,
  member as memberPayload,
  message as messagePayload,
  normalizeEmbeds,
  numberComponents,
  role,
  snowflake,
  textChannel,
  user as userPayload,
} from './payloads.js';
import { commandViolations, messageViolations, type JsonObject } from './validate.js';

/**
 * A local stand-in for Discord: REST under `/api/v10` and the Gateway over WebSocket, on 127.0.0.1 and a
 * random port. The unmodified discord.js client connects to it (REST `api` option = `apiUrl`; the
 * gateway URL comes from GET /gateway/bot). It records everything it receives, enforces the rules the
 * bot must follow (3 s to acknowledge, one acknowledgement, message limits, auth), and lets a test inject
 * interactions and messages and drop the connection.
 */

export const INTENTS = { Guilds: 1 << 0, GuildMembers: 1 << 1, GuildPresences: 1 << 8, GuildMessages: 1 << 9, MessageContent: 1 << 15 };
const PRIVILEGED = INTENTS.GuildMembers | INTENTS.GuildPresences | INTENTS.MessageContent;
const EPHEMERAL = 64;
const LOADING = 128;
const HAS_THREAD = 32;

export interface DoubleOptions {
  /** Heartbeat interval sent in HELLO (Discord uses ~41 s). */
  heartbeatIntervalMs?: number;
  /** Whether the app may use privileged intents (otherwise IDENTIFY with them is closed with 4014). */
  privilegedIntents?: boolean;
  /** Deadline for the first response to an interaction (Discord: 3 s). */
  ackDeadlineMs?: number;
  /** Answer RESUME with INVALID_SESSION, forcing a new IDENTIFY. */
  rejectResume?: boolean;
  /** From this IDENTIFY on (1-based), send no READY: a client stuck between IDENTIFY and READY. */
  withholdReadyFrom?: number;
  /** The shard count GET /gateway/bot recommends (what discord.js's `shards: 'auto'` runs). Default 1. */
  shards?: number;
  /** session_start_limit.max_concurrency: shards identifying at once (discord.js waits 5 s between buckets). Default 1. */
  maxConcurrency?: number;
}

/** A guild besides the double's own (`guildId`), with one text channel: see DiscordDouble.addGuild. */
export interface DoubleGuild {
  id: string;
  name: string;
  channelId: string;
}

/** The shard of `count` that carries a guild's events: Discord's `(guild_id >> 22) % count`. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export interface RecordedRequest {
  seq: number;
  at: number;
  method: string;
  /** Path after /api/v10, e.g. /interactions/123/abc/callback. */
  path: string;
  query: Record<string, string>;
  body: any;
  status: number;
  /** Whether a valid `Authorization: Bot <token>` header came with it. */
  authorized: boolean;
  violations: string[];
}

export interface GatewayFrame {
  at: number;
  dir: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  d: any;
  connection: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 command, 3 component, 4 autocomplete. */
  type: number;
  name?: string;
  customId?: string;
  userId: string;
  payload: JsonObject;
  dispatchedAt: number;
  /** Every POST to /callback, accepted or not. */
  callbacks: Array<{ at: number; type: number; data: any; status: number }>;
  ackAt?: number;
  ackType?: number;
  /** First time the user saw a real answer: type 4/7 callback, first edit of a deferred reply, or a follow-up. */
  finalAt?: number;
  /** The interaction's own message (@original), as Discord holds it. */
  original?: JsonObject;
  edits: Array<{ at: number; body: any }>;
  followups: JsonObject[];
  deleted: boolean;
  choices?: Array<{ name: string; value: unknown }>;
}

interface Session {
  id: string;
  /** [shard id, shard count] from IDENTIFY ([0, 1] when the client sent none). */
  shard: [number, number];
  seq: number;
  intents: number;
  events: Array<{ s: number; t: string; d: any }>;
  socket: WebSocket | null;
}

interface Connection {
  id: number;
  socket: WebSocket;
  session: Session | null;
  resumed: boolean;
  path: string;
}

export interface DoubleUser {
  id: string;
  username: string;
  admin: boolean;
  /** Roles besides Admin (see DiscordDouble.roles). */
  roles: string[];
  /** Server nickname, if any. */
  nick?: string;
  payload: JsonObject;
}

/** A file a user attached: served by the double as Discord's CDN would, at `url`. */
export interface DoubleAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

export class DiscordDouble extends EventEmitter {
  readonly token: string;
  readonly application: JsonObject;
  readonly botUser: JsonObject;
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly otherChannelId = snowflake();
  readonly adminRoleId = snowflake();
  readonly botRoleId = snowflake();
  /** Roles a test can give users (`user(name, { roles })`): permissions, and one with none (a library role). */
  readonly roles = { moderator: snowflake(), manager: snowflake(), librarian: snowflake() };
  /** Whether REST returns message text to the bot (Discord: the app has the Message Content intent). */
  messageContentAccess: boolean;
  /** Channels (or threads) whose messages the bot may not read: GET …/messages answers 403 Missing Access. */
  readonly historyDenied = new Set<string>();
  /** Threads by id (type 11), with the message that started them when there is one. */
  readonly threads = new Map<string, JsonObject>();
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly attachments = new Map<string, DoubleAttachment>();
  /** Paths of attachment downloads from the CDN. */
  readonly downloads: string[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly frames: GatewayFrame[] = [];
  /** Everything the double refused: message limits, double acknowledgements, late acknowledgements... */
  readonly violations: Array<{ at: number; what: string; path: string }> = [];
  readonly interactions = new Map<string, InteractionRecord>();
  readonly messages = new Map<string, JsonObject>();
  /** Commands by scope: 'global' or a guild id. */
  readonly commands = new Map<string, JsonObject[]>();
  readonly users = new Map<string, DoubleUser>();
  identifies = 0;
  resumes = 0;
  /** Guilds added with addGuild, by id. */
  readonly otherGuilds = new Map<string, DoubleGuild>();
  /** Guild events that no identified shard owned, so nobody received them (Discord would hold them). */
  readonly undelivered: Array<{ t: string; guildId: string }> = [];

  private server!: Server;
  private wss!: WebSocketServer;
  private port = 0;
  private seq = 0;
  private connectionIds = 0;
  private readonly sessions = new Map<string, Session>();
  private current: Connection | null = null;
  private readonly open = new Set<Connection>();
  /** The latest session of each shard, by `id/count`: the one that receives its guilds' events. */
  private readonly shardSessions = new Map<string, Session>();
  private readonly options: Required<DoubleOptions>;
  private readonly createdAt = new Date().toISOString();
  private readonly owner: DoubleUser;

  constructor(options: DoubleOptions = {}) {
    super();
    this.setMaxListeners(100);
    this.options = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      privilegedIntents: options.privilegedIntents ?? false,
      ackDeadlineMs: options.ackDeadlineMs ?? 3000,
      rejectResume: options.rejectResume ?? false,
      withholdReadyFrom: options.withholdReadyFrom ?? Infinity,
      shards: options.shards ?? 1,
      maxConcurrency: options.maxConcurrency ?? 1,
    };
    this.messageContentAccess = this.options.privilegedIntents;
    const botId = snowflake();
    this.token = botToken(botId);
    this.botUser = userPayload(botId, 'archivist', { bot: true, verified: true, mfa_enabled: false, discriminator: '4242' });
    this.owner = this.user('owner', { admin: true });
    this.application = {
      id: botId,
      name: 'archivist',
      icon: null,
      description: 'Answers from the team docs, quoted verbatim.',
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: randomBytes(32).toString('hex'),
      flags: 1 << 19,
      owner: this.owner.payload,
      team: null,
      bot: this.botUser,
      summary: '',
      type: null,
      install_params: null,
    };
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The value for DISCORD_API_URL (discord.js appends /v10). */
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket, req) => this.onSocket(socket, req));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()) ?? resolve());
    this.server?.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  // ---------------------------------------------------------------- people and places

  /** A guild member (created on first use). Admins hold the Administrator role. */
  user(username: string, options: { admin?: boolean; roles?: string[]; nick?: string } = {}): DoubleUser {
    const existing = this.users.get(username);
    if (existing) return existing;
    const id = snowflake();
    const created: DoubleUser = { id, username, admin: options.admin ?? false, roles: options.roles ?? [], payload: userPayload(id, username) };
    if (options.nick) created.nick = options.nick;
    this.users.set(username, created);
    return created;
  }

  /**
   * Another guild the bot is in, with one text channel (`general`). `onShard: [id, count]` picks its id
   * so that Discord's rule puts it on that shard. Interactions and messages in its channel
   * (`slash(…, { channelId: guild.channelId })`) belong to it and go to the shard that owns it.
   */
  addGuild(name: string, options: { onShard?: [number, number] } = {}): DoubleGuild {
    let id = snowflake();
    if (options.onShard) {
      const [shard, count] = options.onShard;
      for (let at = Date.now(); shardOf(id, count) !== shard; at++) id = snowflake(at);
    }
    const guild: DoubleGuild = { id, name, channelId: snowflake() };
    this.otherGuilds.set(id, guild);
    return guild;
  }

  /** Shards with a connected session, as [id, count], in the order they identified. */
  connectedShards(): Array<[number, number]> {
    return [...this.shardSessions.values()].filter((session) => session.socket?.readyState === 1).map((session) => session.shard);
  }

  private memberOf(u: DoubleUser): JsonObject {
    const member = memberPayload(u.payload, [...(u.admin ? [this.adminRoleId] : []), ...u.roles], this.createdAt);
    if (u.nick) member.nick = u.nick;
    return member;
  }

  private permissionsOf(u: DoubleUser): string {
    if (u.admin) return ALL_PERMISSIONS.toString();
    const rolePermissions = this.guildRoles()
      .filter((r) => u.roles.includes(r.id))
      .reduce((all, r) => all | BigInt(r.permissions), EVERYONE_PERMISSIONS);
    return rolePermissions.toString();
  }

  private guildRoles(): JsonObject[] {
    return [
      role(this.guildId, '@everyone', EVERYONE_PERMISSIONS, 0),
      role(this.adminRoleId, 'Admin', 1n << 3n, 2, { hoist: true }),
      role(this.botRoleId, 'archivist', EVERYONE_PERMISSIONS, 1, { managed: true, tags: { bot_id: this.botUser.id } }),
      role(this.roles.moderator, 'Moderators', 1n << 13n /* manage messages */, 3),
      role(this.roles.manager, 'Managers', 1n << 5n /* manage server */, 4),
      role(this.roles.librarian, 'Librarians', 0n, 5),
    ];
  }

  private botPermissions(): string {
    return (EVERYONE_PERMISSIONS | (1n << 14n) /* embed links */).toString();
  }

  private channels(): JsonObject[] {
    return [textChannel(this.channelId, this.guildId, 'general', 0), textChannel(this.otherChannelId, this.guildId, 'questions', 1)];
  }

  /** Channels of every guild, the double's own first. */
  private allChannels(): JsonObject[] {
    return [...this.channels(), ...[...this.otherGuilds.values()].map((g) => textChannel(g.channelId, g.id, 'general', 0))];
  }

  private guildIdOf(channelId: string): string {
    return this.allChannels().find((c) => c.id === channelId)?.guild_id ?? this.threads.get(channelId)?.guild_id ?? this.guildId;
  }

  /** An added guild as GUILD_CREATE carries it: the double's own guild with its id, name, @everyone and channel. */
  private otherGuildPayload(guild: DoubleGuild): JsonObject {
    const payload = this.guildPayload();
    const roles = payload.roles.map((r: JsonObject) => (r.id === this.guildId ? { ...r, id: guild.id } : r));
    return { ...payload, id: guild.id, name: guild.name, roles, channels: [textChannel(guild.channelId, guild.id, 'general', 0)], threads: [], system_channel_id: guild.channelId };
  }

  guildPayload(): JsonObject {
    const botMember = memberPayload(this.botUser, [this.botRoleId], this.createdAt);
    return {
      id: this.guildId,
      name: 'Archivist Test Server',
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.owner.id,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 1,
      default_message_notifications: 1,
      explicit_content_filter: 2,
      roles: this.guildRoles(),
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.channelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
      hub_type: null,
      latest_onboarding_question_id: null,
      joined_at: this.createdAt,
      large: false,
      unavailable: false,
      member_count: this.users.size + 1,
      voice_states: [],
      members: [botMember, ...[...this.users.values()].map((u) => this.memberOf(u))],
      channels: this.channels(),
      threads: [...this.threads.values()],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      lazy: true,
      application_command_counts: {},
      home_header: null,
      version: Date.now(),
    };
  }

  // ---------------------------------------------------------------- waiting and reading

  /** Polls `check` until it returns something truthy; fails after `timeoutMs` with `label`. */
  async waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 10_000, label = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`discord double: timed out after ${timeoutMs} ms waiting for ${label}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Whether a bot session is identified and connected. */
  get connected(): boolean {
    return Boolean(this.current?.session && this.current.socket.readyState === 1);
  }

  /** Resolves when a session is connected (after IDENTIFY or RESUME); `count` waits for the n-th. */
  async waitForSession(timeoutMs = 30_000, count = 1): Promise<void> {
    await this.waitFor(() => this.connected && this.identifies + this.resumes >= count, timeoutMs, `gateway session #${count}`);
  }

  /** Waits for the interaction's final reply (see InteractionRecord.finalAt). */
  async waitForFinal(record: InteractionRecord, timeoutMs = 20_000): Promise<InteractionRecord> {
    return this.waitFor(() => (record.finalAt !== undefined ? record : undefined), timeoutMs, `final reply to interaction ${record.name ?? record.customId}`);
  }

  async waitForAck(record: InteractionRecord, timeoutMs = 10_000): Promise<InteractionRecord> {
    return this.waitFor(() => (record.ackAt !== undefined ? record : undefined), timeoutMs, `acknowledgement of ${record.name ?? record.customId}`);
  }

  /** What the user now sees for an interaction: an ephemeral follow-up if any, else @original. */
  shown(record: InteractionRecord): JsonObject | undefined {
    return record.followups.at(-1) ?? record.original;
  }

  /** Messages the bot posted in a channel (not interaction responses). */
  channelMessages(channelId = this.channelId): JsonObject[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && m.author.id === this.botUser.id && !m.interaction_metadata);
  }

  /** Requests that carried message content (content, embeds or components), with their message body. */
  contentBodies(): Array<{ path: string; body: any }> {
    const out: Array<{ path: string; body: any }> = [];
    for (const request of this.requests) {
      const body = request.path.endsWith('/callback') ? request.body?.data : request.body;
      if (body && typeof body === 'object' && ('content' in body || 'embeds' in body || 'components' in body)) out.push({ path: request.path, body });
    }
    return out;
  }

  // ---------------------------------------------------------------- injecting

  private nextInteraction(type: number, u: DoubleUser, data: JsonObject, extra: JsonObject = {}, channelId = this.channelId): InteractionRecord {
    const id = snowflake();
    const token = interactionToken();
    const channel = this.allChannels().find((c) => c.id === channelId) ?? this.threads.get(channelId) ?? this.channels()[0]!;
    const guildId: string = channel.guild_id ?? this.guildId;
    const payload: JsonObject = {
      id,
      application_id: this.application.id,
      type,
      data,
      guild_id: guildId,
      guild: { id: guildId, locale: 'en-US', features: [] },
      channel_id: channel.id,
      channel: { ...channel, permissions: this.permissionsOf(u) },
      member: { ...this.memberOf(u), permissions: this.permissionsOf(u) },
      token,
      version: 1,
      app_permissions: this.botPermissions(),
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
    };
    const record: InteractionRecord = {
      id,
      token,
      type,
      userId: u.id,
      payload,
      dispatchedAt: 0,
      callbacks: [],
      edits: [],
      followups: [],
      deleted: false,
    };
    this.interactions.set(id, record);
    return record;
  }

  private registered(name: string): JsonObject | undefined {
    return (this.commands.get(this.guildId) ?? []).find((c) => c.name === name) ?? (this.commands.get('global') ?? []).find((c) => c.name === name);
  }

  /**
   * Options in API shape, typed from the registered definition. A subcommand (group) is given as an
   * object of its own options: `{ subscribe: { channel: id, time: '09:00' } }`. Channel, user and role
   * options get their `resolved` entries, as Discord sends them.
   */
  private commandOptions(declared: JsonObject[] | undefined, values: Record<string, unknown>, resolved: JsonObject, focused?: string): JsonObject[] {
    return Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([optionName, value]) => {
        const decl = (declared ?? []).find((o: JsonObject) => o.name === optionName);
        const nested = value !== null && typeof value === 'object' && !Array.isArray(value);
        if ((decl && (decl.type === 1 || decl.type === 2)) || (!decl && nested)) {
          const type = decl?.type ?? 1;
          return { name: optionName, type, options: this.commandOptions(decl?.options, value as Record<string, unknown>, resolved, focused) };
        }
        const type = decl?.type ?? (typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3);
        const option: JsonObject = { name: optionName, type, value: optionName === focused ? String(value) : value };
        if (optionName === focused) option.focused = true;
        if (type === 7) {
          const channel = this.channels().find((c) => c.id === value);
          if (channel) (resolved.channels ??= {})[String(value)] = { id: channel.id, name: channel.name, type: channel.type, parent_id: null, permissions: EVERYONE_PERMISSIONS.toString(), flags: 0 };
        }
        if (type === 6 || type === 9) {
          const u = [...this.users.values()].find((x) => x.id === value);
          if (u) {
            (resolved.users ??= {})[u.id] = u.payload;
            const resolvedMember: JsonObject = { ...this.memberOf(u), permissions: this.permissionsOf(u) };
            delete resolvedMember.user;
            (resolved.members ??= {})[u.id] = resolvedMember;
          }
        }
        if (type === 8 || type === 9) {
          const role = this.guildPayload().roles.find((r: JsonObject) => r.id === value);
          if (role) (resolved.roles ??= {})[role.id] = role;
        }
        if (type === 11) {
          const attachment = this.attachments.get(String(value));
          if (attachment) (resolved.attachments ??= {})[attachment.id] = { ...attachment, ephemeral: true };
        }
        return option;
      });
  }

  private commandData(name: string, options: Record<string, unknown>, focused?: string): JsonObject {
    const definition = this.registered(name);
    const resolved: JsonObject = {};
    const data: JsonObject = { id: definition?.id ?? snowflake(), name, type: 1 };
    const opts = this.commandOptions(definition?.options, options, resolved, focused);
    if (opts.length > 0 || focused) data.options = opts;
    if (Object.keys(resolved).length > 0) data.resolved = resolved;
    if (definition?.guild_id) data.guild_id = definition.guild_id;
    return data;
  }

  /**
   * Dispatches a slash command as a user types it. Options are coerced to their registered types;
   * subcommands are nested objects: `slash('digest', { subscribe: { channel: id, time: '09:00' } })`.
   */
  slash(name: string, options: Record<string, unknown> = {}, as: { user?: string; admin?: boolean; channelId?: string } = {}): InteractionRecord {
    const u = this.user(as.user ?? 'member', { admin: as.admin ?? false });
    const record = this.nextInteraction(2, u, this.commandData(name, options), {}, as.channelId);
    record.name = name;
    this.dispatch('INTERACTION_CREATE', record.payload);
    record.dispatchedAt = Date.now();
    return record;
  }

  /**
   * A message context-menu command (`Add to library`) used on `message`, as Discord sends it: type 2
   * with data.type 3, the target in data.resolved.messages with its full content (Discord gives apps
   * the content of the messages their commands are used on, Message Content intent or not).
   */
  messageCommand(name: string, message: JsonObject, as: { user?: string; admin?: boolean; roles?: string[] } = {}): InteractionRecord {
    const definition = this.registered(name);
    const u = this.user(as.user ?? 'member', { admin: as.admin ?? false, roles: as.roles ?? [] });
    const target = this.messages.get(message.id) ?? message;
    const data: JsonObject = {
      id: definition?.id ?? snowflake(),
      name,
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: JSON.parse(JSON.stringify(target)) } },
    };
    if (definition?.guild_id) data.guild_id = definition.guild_id;
    const record = this.nextInteraction(2, u, data, {}, target.channel_id);
    record.name = name;
    this.dispatch('INTERACTION_CREATE', record.payload);
    record.dispatchedAt = Date.now();
    return record;
  }

  /**
   * A file as a user attaches it to a command option or a message: its bytes are served over loopback
   * HTTP at its `url`, as Discord's CDN serves attachments. Pass the returned id as the option's value.
   */
  attach(filename: string, bytes: Buffer | string, contentType = 'application/octet-stream'): DoubleAttachment {
    const id = snowflake();
    const body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8');
    const url = `${this.baseUrl}/attachments/${this.channelId}/${id}/${encodeURIComponent(filename)}`;
    const attachment: DoubleAttachment = { id, filename, size: body.length, url, proxy_url: url, content_type: contentType };
    this.attachments.set(id, attachment);
    this.files.set(id, { bytes: body, contentType });
    return attachment;
  }

  /**
   * A public thread, started from `from` (a message, which then has the HAS_THREAD flag and, in the
   * thread, a THREAD_STARTER_MESSAGE pointing at it) or standing alone in `channelId`. THREAD_CREATE
   * is dispatched; post into it with postMessage(…, { channelId: thread.id }).
   */
  createThread(name: string, options: { from?: JsonObject; channelId?: string; user?: string } = {}): JsonObject {
    const parentId = options.from?.channel_id ?? options.channelId ?? this.channelId;
    const owner = this.user(options.user ?? 'member');
    const id = options.from?.id ?? snowflake();
    const thread: JsonObject = {
      id,
      guild_id: this.guildId,
      parent_id: parentId,
      owner_id: owner.id,
      name,
      type: 11,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      total_message_sent: 0,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false, create_timestamp: new Date().toISOString() },
    };
    this.threads.set(id, thread);
    if (options.from) {
      const starter = this.messages.get(options.from.id) ?? options.from;
      starter.flags = (Number(starter.flags) || 0) | HAS_THREAD;
      starter.thread = thread;
      const system = messagePayload({
        id: snowflake(),
        channelId: id,
        guildId: this.guildId,
        author: owner.payload,
        type: 21,
        reference: { type: 0, message_id: starter.id, channel_id: parentId, guild_id: this.guildId },
      });
      this.messages.set(system.id, system);
    }
    this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return thread;
  }

  /** An autocomplete request while the user types `focused` (which may sit inside a subcommand). */
  autocomplete(name: string, options: Record<string, unknown>, focused: string, as: { user?: string } = {}): InteractionRecord {
    const u = this.user(as.user ?? 'member');
    const record = this.nextInteraction(4, u, this.commandData(name, options, focused));
    record.name = name;
    this.dispatch('INTERACTION_CREATE', record.payload);
    record.dispatchedAt = Date.now();
    return record;
  }

  /** A click on a button of `message` (a message the bot sent). */
  click(message: JsonObject, customId: string, as: { user?: string; admin?: boolean } = {}): InteractionRecord {
    const buttons = (message.components ?? []).flatMap((row: JsonObject) => row.components ?? []);
    const button = buttons.find((b: JsonObject) => b.custom_id === customId);
    if (!button) throw new Error(`discord double: no button ${customId} on message ${message.id}`);
    if (button.disabled) throw new Error(`discord double: button ${customId} is disabled`);
    const u = this.user(as.user ?? 'member', { admin: as.admin ?? false });
    const record = this.nextInteraction(3, u, { custom_id: customId, component_type: 2 }, { message }, message.channel_id);
    record.customId = customId;
    this.dispatch('INTERACTION_CREATE', record.payload);
    record.dispatchedAt = Date.now();
    return record;
  }

  /**
   * A user message in a channel. `content` may contain `{bot}`, replaced by the bot's mention. Discord
   * withholds content from apps without the Message Content intent unless they are mentioned; so does this.
   */
  postMessage(content: string, as: { user?: string; channelId?: string; attachments?: DoubleAttachment[] } = {}): JsonObject {
    const u = this.user(as.user ?? 'member');
    const text = content.split('{bot}').join(`<@${this.botUser.id}>`);
    const mentioned = text.includes(`<@${this.botUser.id}>`) || text.includes(`<@!${this.botUser.id}>`);
    // Users mentioned by id come with their member, as Discord sends them.
    const mentionedUsers = [...this.users.values()]
      .filter((x) => text.includes(`<@${x.id}>`) || text.includes(`<@!${x.id}>`))
      .map((x) => ({ ...x.payload, member: { ...this.memberOf(x), user: undefined } }));
    mentionedUsers.forEach((m) => delete m.member.user);
    const msg = messagePayload({
      id: snowflake(),
      channelId: as.channelId ?? this.channelId,
      guildId: this.guildIdOf(as.channelId ?? this.channelId),
      author: u.payload,
      content: text,
      mentions: [...(mentioned ? [{ ...this.botUser, member: memberPayload(this.botUser, [this.botRoleId], this.createdAt) }] : []), ...mentionedUsers],
      mentionRoles: [...text.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!),
      mentionEveryone: /@(everyone|here)/.test(text),
      member: { ...this.memberOf(u), user: undefined },
    });
    delete msg.member.user;
    if (as.attachments) msg.attachments = as.attachments.map((a) => ({ ...a }));
    const thread = this.threads.get(msg.channel_id);
    if (thread) {
      thread.message_count += 1;
      thread.total_message_sent += 1;
      thread.last_message_id = msg.id;
    }
    this.messages.set(msg.id, msg);
    this.dispatch('MESSAGE_CREATE', msg);
    return msg;
  }

  /** Replies the bot posted to a message. */
  repliesTo(messageId: string): JsonObject[] {
    return [...this.messages.values()].filter((m) => m.message_reference?.message_id === messageId);
  }

  // ---------------------------------------------------------------- the connection

  /**
   * Drops the gateway connection: `terminate` (default) cuts the TCP connection (the client resumes),
   * `close` sends a close frame with `code` (4000: resume; 1000: new session).
   */
  dropConnection(how: { mode?: 'terminate' | 'close'; code?: number } = {}): void {
    const connection = this.current;
    if (!connection) throw new Error('discord double: no gateway connection to drop');
    this.current = null;
    if (connection.session) connection.session.socket = null;
    if ((how.mode ?? 'terminate') === 'terminate') connection.socket.terminate();
    else connection.socket.close(how.code ?? 4000, 'dropped by the test double');
  }

  /** Sends op 7 RECONNECT: the client should reconnect and resume. */
  requestReconnect(): void {
    if (this.current) this.send(this.current, { op: 7, d: null });
  }

  private send(connection: Connection, payload: { op: number; d: any; s?: number | null; t?: string | null }): void {
    const frame = { op: payload.op, d: payload.d, s: payload.s ?? null, t: payload.t ?? null };
    this.frames.push({ at: Date.now(), dir: 'out', ...frame, connection: connection.id });
    if (connection.socket.readyState === 1) connection.socket.send(JSON.stringify(frame));
  }

  /**
   * Sends (or buffers, while disconnected, for a RESUME to replay) a dispatch event. A guild's event
   * goes to the session of each shard that owns the guild (Discord's rule, see shardOf); other events
   * to the latest connection's session.
   */
  dispatch(t: string, d: any): void {
    const latest = this.current?.session ?? [...this.sessions.values()].at(-1);
    if (!latest) throw new Error(`discord double: no session to dispatch ${t} to`);
    const guildId: unknown = d?.guild_id ?? (t.startsWith('GUILD_') ? d?.id : undefined);
    if (typeof guildId !== 'string') {
      this.dispatchTo(latest, t, d);
      return;
    }
    const owners = [...this.shardSessions.values()].filter((session) => shardOf(guildId, session.shard[1]) === session.shard[0]);
    if (owners.length === 0) this.undelivered.push({ t, guildId });
    for (const session of owners) this.dispatchTo(session, t, d);
  }

  private dispatchTo(session: Session, t: string, d: any): void {
    if (t === 'MESSAGE_CREATE') {
      const guildMessage = Boolean(d.guild_id);
      if (guildMessage && !(session.intents & INTENTS.GuildMessages)) return;
      const ownOrMentioned = d.author?.id === this.botUser.id || (d.mentions ?? []).some((m: JsonObject) => m.id === this.botUser.id);
      if (!(session.intents & INTENTS.MessageContent) && !ownOrMentioned) {
        d = { ...d, content: '', embeds: [], attachments: [], components: [] };
      }
    }
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.events.push(event);
    if (session.events.length > 500) session.events.shift();
    const connection = [...this.open].find((c) => c.session === session && c.socket === session.socket);
    if (connection && connection.socket.readyState === 1) {
      this.send(connection, { op: 0, s: event.s, t, d });
    }
  }

  /** Closes the other open connections on `session`'s shard: a newer session of a shard replaces an older one. */
  private replaceOthers(connection: Connection, shard: [number, number]): void {
    for (const other of this.open) {
      if (other !== connection && other.session && other.session.shard[0] === shard[0] && other.session.shard[1] === shard[1]) other.socket.terminate();
    }
  }

  private onSocket(socket: WebSocket, req: IncomingMessage): void {
    const connection: Connection = { id: ++this.connectionIds, socket, session: null, resumed: false, path: req.url ?? '' };
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.searchParams.get('v') !== '10' || url.searchParams.get('encoding') !== 'json') {
      socket.close(4012, 'Invalid API version or encoding');
      return;
    }
    // One connection per shard: a newer session of a shard replaces an older one (at IDENTIFY or RESUME).
    this.current = connection;
    this.open.add(connection);
    socket.on('message', (raw) => this.onFrame(connection, raw.toString()));
    socket.on('close', () => {
      this.open.delete(connection);
      if (connection.session?.socket === socket) connection.session.socket = null;
      if (this.current === connection) this.current = null;
      this.emit('disconnect', connection.id);
    });
    socket.on('error', () => undefined);
    this.send(connection, { op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['["gateway-double",{"micros":0}]'] } });
  }

  private onFrame(connection: Connection, raw: string): void {
    let frame: { op: number; d: any };
    try {
      frame = JSON.parse(raw) as { op: number; d: any };
    } catch {
      connection.socket.close(4002, 'Decode error');
      return;
    }
    const recorded = frame.d && typeof frame.d === 'object' && 'token' in frame.d ? { ...frame.d, token: '[token]' } : frame.d;
    this.frames.push({ at: Date.now(), dir: 'in', op: frame.op, d: recorded, connection: connection.id });
    switch (frame.op) {
      case 1: // heartbeat
        this.send(connection, { op: 11, d: null });
        return;
      case 2:
        this.identify(connection, frame.d);
        return;
      case 6:
        this.resume(connection, frame.d);
        return;
      case 3: // presence update
      case 4: // voice state
      case 8: // request guild members
        if (!connection.session) connection.socket.close(4003, 'Not authenticated');
        return;
      default:
        connection.socket.close(4001, 'Unknown opcode');
    }
  }

  private identify(connection: Connection, d: any): void {
    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated');
      return;
    }
    if (d?.token !== this.token && d?.token !== `Bot ${this.token}`) {
      connection.socket.close(4004, 'Authentication failed');
      return;
    }
    const intents = Number(d.intents);
    if (!Number.isInteger(intents) || intents < 0) {
      connection.socket.close(4013, 'Invalid intent(s)');
      return;
    }
    if (intents & PRIVILEGED && !this.options.privilegedIntents) {
      connection.socket.close(4014, 'Disallowed intent(s)');
      return;
    }
    const shard: unknown = d.shard ?? [0, 1];
    if (!Array.isArray(shard) || shard.length !== 2 || !shard.every(Number.isInteger) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      connection.socket.close(4010, 'Invalid shard');
      return;
    }
    this.identifies += 1;
    if (this.identifies >= this.options.withholdReadyFrom) return;
    const session: Session = { id: randomBytes(16).toString('hex'), shard: [shard[0], shard[1]], seq: 0, intents, events: [], socket: connection.socket };
    this.replaceOthers(connection, session.shard);
    this.sessions.set(session.id, session);
    this.shardSessions.set(session.shard.join('/'), session);
    connection.session = session;
    const owned = [this.guildId, ...this.otherGuilds.keys()].filter((id) => shardOf(id, session.shard[1]) === session.shard[0]);
    this.dispatchTo(session, 'READY', {
      v: 10,
      user_settings: {},
      user: this.botUser,
      guilds: owned.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: `ws://127.0.0.1:${this.port}/resume`,
      shard: session.shard,
      application: { id: this.application.id, flags: this.application.flags },
      private_channels: [],
      relationships: [],
      presences: [],
      geo_ordered_rtc_regions: [],
      guild_join_requests: [],
      auth: {},
      _trace: ['["gateway-double",{"micros":0}]'],
    });
    if (intents & INTENTS.Guilds) {
      setTimeout(() => {
        for (const id of owned) this.dispatchTo(session, 'GUILD_CREATE', id === this.guildId ? this.guildPayload() : this.otherGuildPayload(this.otherGuilds.get(id)!));
      }, 5);
    }
    this.emit('session', session.id);
  }

  private resume(connection: Connection, d: any): void {
    const session = this.sessions.get(String(d?.session_id));
    if (d?.token !== this.token && d?.token !== `Bot ${this.token}`) {
      connection.socket.close(4004, 'Authentication failed');
      return;
    }
    if (!session || this.options.rejectResume) {
      setTimeout(() => this.send(connection, { op: 9, d: false }), 50);
      return;
    }
    this.resumes += 1;
    this.replaceOthers(connection, session.shard);
    connection.session = session;
    connection.resumed = true;
    session.socket = connection.socket;
    const missed = session.events.filter((event) => event.s > Number(d.seq ?? 0));
    for (const event of missed) this.send(connection, { op: 0, s: event.s, t: event.t, d: event.d });
    session.seq += 1;
    this.send(connection, { op: 0, s: session.seq, t: 'RESUMED', d: { _trace: ['["gateway-double",{"micros":0}]'] } });
    this.emit('session', session.id);
  }

  // ---------------------------------------------------------------- REST

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.baseUrl);
    const cdn = /^\/attachments\/\d+\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (cdn) {
      // The CDN: no authorization, like Discord's signed attachment URLs.
      const file = this.files.get(cdn[1]!);
      this.downloads.push(url.pathname);
      if (!file || req.method !== 'GET') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Not Found');
        return;
      }
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) });
      res.end(file.bytes);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const match = /^\/api\/v(\d+)(\/.*)$/.exec(decodeURIComponent(url.pathname));
    const path = match ? match[2]! : url.pathname;
    const auth = req.headers.authorization;
    const record: RecordedRequest = {
      seq: ++this.seq,
      at: Date.now(),
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parseBody(raw, String(req.headers['content-type'] ?? '')),
      status: 0,
      authorized: auth === `Bot ${this.token}`,
      violations: [],
    };
    this.requests.push(record);
    let status = 200;
    let payload: unknown = null;
    try {
      if (!match || match[1] !== '10') {
        [status, payload] = [404, { message: '404: Not Found', code: 0 }];
      } else {
        [status, payload] = this.route(method, path, record, url);
      }
    } catch (error) {
      [status, payload] = [500, { message: `double error: ${error instanceof Error ? error.message : String(error)}`, code: 0 }];
    }
    record.status = status;
    if (status >= 400) this.violations.push({ at: record.at, what: `${status} ${JSON.stringify(payload)}`, path: `${method} ${path}` });
    this.emit('request', record);
    const headers: Record<string, string> = { 'content-type': 'application/json', via: 'discord-double' };
    if (status === 204) {
      res.writeHead(204, { via: 'discord-double' });
      res.end();
    } else {
      res.writeHead(status, headers);
      res.end(JSON.stringify(payload));
    }
  }

  private invalid(record: RecordedRequest, problems: string[]): [number, unknown] {
    record.violations.push(...problems);
    return [400, { message: 'Invalid Form Body', code: 50035, errors: problems }];
  }

  private route(method: string, path: string, record: RecordedRequest, url: URL): [number, unknown] {
    const unauthorized: [number, unknown] = [401, { message: '401: Unauthorized', code: 0 }];
    const needsAuth = !/^\/(interactions|webhooks)\//.test(path);
    if (needsAuth && !record.authorized) return unauthorized;
    let m: RegExpExecArray | null;

    if (method === 'GET' && path === '/gateway/bot') {
      const limit = { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: this.options.maxConcurrency };
      return [200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: this.options.shards, session_start_limit: limit }];
    }
    if (method === 'GET' && path === '/gateway') return [200, { url: `ws://127.0.0.1:${this.port}/gateway` }];
    if (method === 'GET' && path === '/users/@me') return [200, this.botUser];
    if (method === 'GET' && (path === '/applications/@me' || path === '/oauth2/applications/@me')) return [200, this.application];

    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands(?:\/(\d+))?$/.exec(path))) {
      const [, appId, guildId, commandId] = m;
      if (appId !== this.application.id) return [403, { message: 'Missing Access', code: 50001 }];
      if (guildId && guildId !== this.guildId) return [403, { message: 'Missing Access', code: 50001 }];
      const scope = guildId ?? 'global';
      const list = this.commands.get(scope) ?? [];
      if (method === 'GET' && !commandId) return [200, list];
      if (method === 'GET' && commandId) {
        const found = list.find((c) => c.id === commandId);
        return found ? [200, found] : [404, { message: 'Unknown application command', code: 10063 }];
      }
      if (method === 'PUT' && !commandId) {
        const problems = commandViolations(record.body);
        if (problems.length > 0) return this.invalid(record, problems);
        const next = (record.body as JsonObject[]).map((c) => this.storedCommand(c, list, guildId ?? null));
        this.commands.set(scope, next);
        this.emit('commands', scope);
        return [200, next];
      }
      if (method === 'POST' && !commandId) {
        const problems = commandViolations([record.body]);
        if (problems.length > 0) return this.invalid(record, problems);
        const stored = this.storedCommand(record.body, list, guildId ?? null);
        this.commands.set(scope, [...list.filter((c) => c.name !== stored.name), stored]);
        return [201, stored];
      }
      if (method === 'DELETE' && commandId) {
        this.commands.set(scope, list.filter((c) => c.id !== commandId));
        return [204, null];
      }
    }

    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      return this.callback(m[1]!, m[2]!, record, url);
    }

    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path))) {
      const [, appId, token, messageId] = m;
      const interaction = [...this.interactions.values()].find((i) => i.token === token);
      if (appId !== this.application.id || !interaction) return [404, { message: 'Unknown Webhook', code: 10015 }];
      return this.webhook(method, interaction, messageId ?? null, record);
    }

    if ((m = /^\/channels\/(\d+)(?:\/(messages|typing))?(?:\/(\d+))?$/.exec(path))) {
      const [, channelId, what, messageId] = m;
      const channel = this.allChannels().find((c) => c.id === channelId) ?? this.threads.get(channelId!);
      if (!channel) return [404, { message: 'Unknown Channel', code: 10003 }];
      if (!what && method === 'GET') return [200, channel];
      if (what === 'typing' && method === 'POST') return [204, null];
      if (what === 'messages' && method === 'POST' && !messageId) return this.createChannelMessage(channelId!, record);
      if (what === 'messages' && method === 'GET' && this.historyDenied.has(channelId!)) return [403, { message: 'Missing Access', code: 50001 }];
      if (what === 'messages' && method === 'GET' && !messageId) return [200, this.history(channelId!, url.searchParams)];
      if (what === 'messages' && messageId) {
        const found = this.messages.get(messageId);
        if (!found || found.channel_id !== channelId) return [404, { message: 'Unknown Message', code: 10008 }];
        if (method === 'GET') return [200, this.asReadByBot(found)];
        if (method === 'DELETE') {
          this.messages.delete(messageId);
          return [204, null];
        }
        if (method === 'PATCH') {
          const problems = messageViolations(record.body);
          if (problems.length > 0) return this.invalid(record, problems);
          this.applyEdit(found, record.body);
          return [200, found];
        }
      }
    }

    if (method === 'GET' && path === `/guilds/${this.guildId}`) return [200, this.guildPayload()];
    if (method === 'GET' && (m = /^\/guilds\/(\d+)$/.exec(path)) && this.otherGuilds.has(m[1]!)) return [200, this.otherGuildPayload(this.otherGuilds.get(m[1]!)!)];
    if (method === 'GET' && (m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path))) {
      const u = [...this.users.values()].find((x) => x.id === m![2]);
      return u ? [200, this.memberOf(u)] : [404, { message: 'Unknown Member', code: 10007 }];
    }
    return [404, { message: '404: Not Found', code: 0 }];
  }

  /** GET /channels/{id}/messages: newest first, `limit` (default 50, max 100) before/after a message id. */
  private history(channelId: string, query: URLSearchParams): JsonObject[] {
    const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
    const before = query.get('before');
    const after = query.get('after');
    let list = [...this.messages.values()]
      .filter((msg) => msg.channel_id === channelId && !(Number(msg.flags) & EPHEMERAL))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? 1 : -1));
    if (before) list = list.filter((msg) => BigInt(msg.id) < BigInt(before));
    if (after) list = list.filter((msg) => BigInt(msg.id) > BigInt(after)).slice(-limit);
    return list.slice(0, limit).map((msg) => this.asReadByBot(msg));
  }

  /**
   * A message as REST shows it to the bot: without the Message Content intent, Discord empties the
   * content, embeds, attachments and components of other users' messages that do not mention it.
   */
  private asReadByBot(msg: JsonObject): JsonObject {
    const own = msg.author?.id === this.botUser.id;
    const mentioned = (msg.mentions ?? []).some((x: JsonObject) => x.id === this.botUser.id);
    if (this.messageContentAccess || own || mentioned) return msg;
    return { ...msg, content: '', embeds: [], attachments: [], components: [] };
  }

  private storedCommand(body: JsonObject, previous: JsonObject[], guildId: string | null): JsonObject {
    const old = previous.find((c) => c.name === body.name);
    const stored: JsonObject = {
      id: old?.id ?? snowflake(),
      application_id: this.application.id,
      version: snowflake(),
      default_member_permissions: body.default_member_permissions ?? null,
      type: body.type ?? 1,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: body.description ?? '',
      description_localizations: body.description_localizations ?? null,
      dm_permission: body.dm_permission ?? true,
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      nsfw: body.nsfw ?? false,
    };
    if (guildId) stored.guild_id = guildId;
    if (Array.isArray(body.options) && body.options.length > 0) stored.options = JSON.parse(JSON.stringify(body.options));
    return stored;
  }

  private newMessage(interaction: InteractionRecord, body: JsonObject, flags: number): JsonObject {
    const msg = messagePayload({
      id: snowflake(),
      channelId: interaction.payload.channel_id,
      guildId: interaction.payload.guild_id,
      author: this.botUser,
      content: body.content ?? '',
      embeds: normalizeEmbeds(body.embeds),
      components: numberComponents(body.components),
      flags,
      type: interaction.type === 2 ? 20 : 19,
      webhookId: this.application.id,
      applicationId: this.application.id,
      interactionMetadata: {
        id: interaction.id,
        type: interaction.type,
        user: [...this.users.values()].find((u) => u.id === interaction.userId)?.payload ?? null,
        authorizing_integration_owners: { '0': interaction.payload.guild_id },
        name: interaction.name,
      },
    });
    msg.allowed_mentions = body.allowed_mentions;
    this.messages.set(msg.id, msg);
    return msg;
  }

  private applyEdit(target: JsonObject, body: JsonObject): void {
    if ('content' in body) target.content = body.content ?? '';
    if ('embeds' in body) target.embeds = normalizeEmbeds(body.embeds);
    if ('components' in body) target.components = numberComponents(body.components);
    if ('allowed_mentions' in body) target.allowed_mentions = body.allowed_mentions;
    target.flags = (target.flags ?? 0) & ~LOADING;
    target.edited_timestamp = new Date().toISOString();
  }

  private callback(id: string, token: string, record: RecordedRequest, url: URL): [number, unknown] {
    const interaction = this.interactions.get(id);
    const now = Date.now();
    const type = Number((record.body as JsonObject)?.type);
    const data: JsonObject = (record.body as JsonObject)?.data ?? {};
    if (!interaction || interaction.token !== token) return [404, { message: 'Unknown interaction', code: 10062 }];
    const entry = { at: now, type, data, status: 0 };
    interaction.callbacks.push(entry);
    const result = ((): [number, unknown] => {
      if (interaction.ackAt !== undefined) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
      if (now - interaction.dispatchedAt > this.options.ackDeadlineMs) return [404, { message: 'Unknown interaction', code: 10062 }];
      const allowed: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8] };
      if (!(allowed[interaction.type] ?? []).includes(type)) return this.invalid(record, [`callback type ${type} is not valid for interaction type ${interaction.type}`]);
      if (type === 8) {
        const choices: JsonObject[] = Array.isArray(data.choices) ? data.choices : [];
        const problems: string[] = [];
        if (choices.length > 25) problems.push(`${choices.length} choices (max 25)`);
        choices.forEach((c, i) => {
          if (typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100) problems.push(`choices[${i}].name must be 1-100 characters`);
          if (typeof c.value === 'string' && (c.value.length < 1 || c.value.length > 100)) problems.push(`choices[${i}].value must be 1-100 characters`);
        });
        if (problems.length > 0) return this.invalid(record, problems);
        interaction.choices = choices.map((c) => ({ name: c.name, value: c.value }));
      } else if (type === 4 || type === 7) {
        const problems = messageViolations(data, { requireSomething: type === 4 });
        if (problems.length > 0) return this.invalid(record, problems);
      }
      interaction.ackAt = now;
      interaction.ackType = type;
      if (type === 4) {
        interaction.original = this.newMessage(interaction, data, (Number(data.flags) || 0) & EPHEMERAL);
        interaction.finalAt = now;
      } else if (type === 5) {
        interaction.original = this.newMessage(interaction, {}, ((Number(data.flags) || 0) & EPHEMERAL) | LOADING);
      } else if (type === 7) {
        const target = this.messages.get(interaction.payload.message?.id) ?? interaction.payload.message;
        this.applyEdit(target, data);
        interaction.original = target;
        interaction.finalAt = now;
      } else if (type === 6) {
        interaction.original = this.messages.get(interaction.payload.message?.id) ?? interaction.payload.message;
      } else if (type === 8) {
        interaction.finalAt = now;
      }
      return [204, null];
    })();
    entry.status = result[0];
    this.emit('callback', interaction);
    if (result[0] === 204 && url.searchParams.get('with_response') === 'true') {
      return [200, { interaction: { id: interaction.id, type: interaction.type, activity_instance_id: null, response_message_id: interaction.original?.id ?? null, response_message_loading: Boolean(Number(interaction.original?.flags ?? 0) & LOADING), response_message_ephemeral: Boolean(Number(interaction.original?.flags ?? 0) & EPHEMERAL) }, resource: interaction.original ? { type, message: interaction.original } : { type } }];
    }
    return result;
  }

  private webhook(method: string, interaction: InteractionRecord, messageId: string | null, record: RecordedRequest): [number, unknown] {
    const now = Date.now();
    if (interaction.ackAt === undefined) return [404, { message: 'Unknown Webhook', code: 10015 }];
    if (messageId === null) {
      if (method !== 'POST') return [405, { message: '405: Method Not Allowed', code: 0 }];
      const problems = messageViolations(record.body, { requireSomething: true });
      if (problems.length > 0) return this.invalid(record, problems);
      const msg = this.newMessage(interaction, record.body, (Number(record.body.flags) || 0) & EPHEMERAL);
      interaction.followups.push(msg);
      interaction.finalAt ??= now;
      return [200, msg];
    }
    const target =
      messageId === '@original' ? interaction.original : [interaction.original, ...interaction.followups].find((x) => x?.id === messageId);
    if (!target || (messageId === '@original' && interaction.deleted)) return [404, { message: 'Unknown Message', code: 10008 }];
    if (method === 'GET') return [200, target];
    if (method === 'DELETE') {
      if (messageId === '@original') interaction.deleted = true;
      this.messages.delete(target.id);
      return [204, null];
    }
    if (method === 'PATCH') {
      const problems = messageViolations(record.body);
      if (problems.length > 0) return this.invalid(record, problems);
      this.applyEdit(target, record.body);
      interaction.edits.push({ at: now, body: record.body });
      if (messageId === '@original') interaction.finalAt ??= now;
      return [200, target];
    }
    return [405, { message: '405: Method Not Allowed', code: 0 }];
  }

  private createChannelMessage(channelId: string, record: RecordedRequest): [number, unknown] {
    const body = record.body as JsonObject;
    const problems = messageViolations(body, { requireSomething: true });
    if (problems.length > 0) return this.invalid(record, problems);
    const reference = body.message_reference;
    if (reference?.message_id && !this.messages.has(reference.message_id) && reference.fail_if_not_exists !== false) {
      return this.invalid(record, ['message_reference: Unknown message']);
    }
    const msg = messagePayload({
      id: snowflake(),
      channelId,
      guildId: this.guildIdOf(channelId),
      author: this.botUser,
      content: body.content ?? '',
      embeds: normalizeEmbeds(body.embeds),
      components: numberComponents(body.components),
      flags: Number(body.flags) || 0,
      type: reference ? 19 : 0,
      reference: reference ? { type: 0, message_id: reference.message_id, channel_id: channelId, guild_id: this.guildIdOf(channelId) } : null,
      member: memberPayload(undefined as never, [this.botRoleId], this.createdAt),
    });
    delete msg.member.user;
    msg.allowed_mentions = body.allowed_mentions;
    this.messages.set(msg.id, msg);
    // Discord echoes the bot's own messages to it, and a bot must not answer itself.
    this.dispatch('MESSAGE_CREATE', msg);
    return [200, msg];
  }
}

function parseBody(raw: string, contentType: string): unknown {
  if (raw === '') return null;
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (contentType.includes('multipart/form-data')) {
    const json = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw);
    if (json) {
      try {
        return JSON.parse(json[1]!);
      } catch {
        return raw;
      }
    }
  }
  return raw;
}

export async function startDiscordDouble(options: DoubleOptions = {}): Promise<DiscordDouble> {
  return new DiscordDouble(options).start();
}
