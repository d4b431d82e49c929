/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomBytes } from 'node:crypto';
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import type { JsonObject } from './validate.js';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A real-looking snowflake (17-19 digits, timestamp-ordered): @discordjs/rest buckets routes by them. */
export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) % 4096n;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export function botToken(botId: string): string {
  return `${Buffer.from(botId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}

export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(96).toString('base64url')}`;
}

export const EVERYONE_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseApplicationCommands,
  PermissionFlagsBits.CreateInstantInvite,
  PermissionFlagsBits.ChangeNickname,
]).bitfield;

export const ALL_PERMISSIONS = PermissionsBitField.All;

export function user(id: string, username: string, extra: JsonObject = {}): JsonObject {
  return {
    id,
    username,
    discriminator: '0',
    global_name: extra.bot ? null : username[0]!.toUpperCase() + username.slice(1),
    avatar: null,
    bot: false,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    primary_guild: null,
    collectibles: null,
    ...extra,
  };
}

export function role(id: string, name: string, permissions: bigint, position: number, extra: JsonObject = {}): JsonObject {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0,
    ...extra,
  };
}

export function member(u: JsonObject, roles: string[], joinedAt: string): JsonObject {
  return {
    user: u,
    nick: null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

export function textChannel(id: string, guildId: string, name: string, position: number): JsonObject {
  return {
    id,
    type: 0,
    guild_id: guildId,
    name,
    position,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
  };
}

/** A message as Discord returns it from REST and in MESSAGE_CREATE. */
export function message(fields: {
  id: string;
  channelId: string;
  guildId?: string | null;
  author: JsonObject;
  content?: string;
  embeds?: JsonObject[];
  components?: JsonObject[];
  flags?: number;
  type?: number;
  mentions?: JsonObject[];
  mentionRoles?: string[];
  mentionEveryone?: boolean;
  reference?: JsonObject | null;
  webhookId?: string | null;
  applicationId?: string | null;
  interactionMetadata?: JsonObject | null;
  member?: JsonObject | null;
}): JsonObject {
  const out: JsonObject = {
    id: fields.id,
    type: fields.type ?? 0,
    content: fields.content ?? '',
    channel_id: fields.channelId,
    author: fields.author,
    attachments: [],
    embeds: fields.embeds ?? [],
    mentions: fields.mentions ?? [],
    mention_roles: fields.mentionRoles ?? [],
    mention_everyone: fields.mentionEveryone ?? false,
    pinned: false,
    tts: false,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    flags: fields.flags ?? 0,
    components: fields.components ?? [],
  };
  if (fields.guildId) out.guild_id = fields.guildId;
  if (fields.member) out.member = fields.member;
  if (fields.reference) out.message_reference = fields.reference;
  if (fields.webhookId) out.webhook_id = fields.webhookId;
  if (fields.applicationId) out.application_id = fields.applicationId;
  if (fields.interactionMetadata) out.interaction_metadata = fields.interactionMetadata;
  return out;
}

/** Components as Discord echoes them: with the numeric ids it assigns. */
export function numberComponents(rows: unknown): JsonObject[] {
  if (!Array.isArray(rows)) return [];
  let next = 1;
  const walk = (c: JsonObject): JsonObject => {
    const out: JsonObject = { ...c, id: c.id ?? next++ };
    if (Array.isArray(c.components)) out.components = c.components.map(walk);
    return out;
  };
  return rows.map(walk);
}

/** Embeds as Discord echoes them: `type: "rich"`, and no undefined keys. */
export function normalizeEmbeds(embeds: unknown): JsonObject[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((e: JsonObject) => ({ type: 'rich', ...JSON.parse(JSON.stringify(e)) }));
}

export type { JsonObject };
export const asAny = (value: unknown): any => value;
