import type pg from 'pg';
import type { Subscription, SubscriptionInput, SubscriptionRecords } from '../subscriptions.js';

interface SubscriptionRow {
  id: string;
  guild_id: string;
  channel_id: string;
  time: string;
  timezone: string;
  active: boolean;
  origin: 'command' | 'env';
  created_by: string | null;
  schedule_from: Date;
}

const fromRow = (row: SubscriptionRow): Subscription => ({
  id: Number(row.id),
  guildId: row.guild_id,
  channelId: row.channel_id,
  time: row.time,
  timezone: row.timezone,
  active: row.active,
  origin: row.origin,
  createdBy: row.created_by,
  scheduleFrom: row.schedule_from,
});

export class PostgresSubscriptions implements SubscriptionRecords {
  constructor(private readonly pool: pg.Pool) {}

  async subscribe(input: SubscriptionInput, at: Date): Promise<Subscription> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `INSERT INTO subscriptions (guild_id, channel_id, time, timezone, active, origin, created_by, schedule_from, updated_at)
       VALUES ($1, $2, $3, $4, true, 'command', $5, $6, $6)
       ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time,
         timezone = excluded.timezone, active = true, origin = 'command', created_by = excluded.created_by,
         schedule_from = excluded.schedule_from, updated_at = excluded.updated_at
       RETURNING *`,
      [input.guildId, input.channelId, input.time, input.timezone, input.createdBy, at],
    );
    return fromRow(rows[0]!);
  }

  async ensureDefault(input: Omit<SubscriptionInput, 'createdBy'>, at: Date): Promise<Subscription> {
    await this.pool.query(
      `INSERT INTO subscriptions (guild_id, channel_id, time, timezone, active, origin, created_by, schedule_from, updated_at)
       VALUES ($1, $2, $3, $4, true, 'env', NULL, $5, $5)
       ON CONFLICT (guild_id) DO NOTHING`,
      [input.guildId, input.channelId, input.time, input.timezone, at],
    );
    return (await this.forGuild(input.guildId))!;
  }

  async unsubscribe(guildId: string, at: Date): Promise<boolean> {
    const result = await this.pool.query(`UPDATE subscriptions SET active = false, updated_at = $1 WHERE guild_id = $2 AND active`, [at, guildId]);
    return (result.rowCount ?? 0) > 0;
  }

  async forGuild(guildId: string): Promise<Subscription | null> {
    const { rows } = await this.pool.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE guild_id = $1`, [guildId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async active(): Promise<Subscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE active ORDER BY id`);
    return rows.map(fromRow);
  }
}
