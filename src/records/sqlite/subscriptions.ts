import type Database from 'better-sqlite3';
import type { Subscription, SubscriptionInput, SubscriptionRecords } from '../subscriptions.js';

interface SubscriptionRow {
  id: number;
  guild_id: string;
  channel_id: string;
  time: string;
  timezone: string;
  active: number;
  origin: 'command' | 'env';
  created_by: string | null;
  schedule_from: number;
}

const fromRow = (row: SubscriptionRow): Subscription => ({
  id: row.id,
  guildId: row.guild_id,
  channelId: row.channel_id,
  time: row.time,
  timezone: row.timezone,
  active: row.active === 1,
  origin: row.origin,
  createdBy: row.created_by,
  scheduleFrom: new Date(row.schedule_from),
});

export class SqliteSubscriptions implements SubscriptionRecords {
  private readonly upsert: Database.Statement;
  private readonly insertDefault: Database.Statement;
  private readonly deactivate: Database.Statement;
  private readonly byGuild: Database.Statement;
  private readonly allActive: Database.Statement;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO subscriptions (guild_id, channel_id, time, timezone, active, origin, created_by, schedule_from, updated_at)
       VALUES (@guildId, @channelId, @time, @timezone, 1, 'command', @createdBy, @at, @at)
       ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time,
         timezone = excluded.timezone, active = 1, origin = 'command', created_by = excluded.created_by,
         schedule_from = excluded.schedule_from, updated_at = excluded.updated_at`,
    );
    this.insertDefault = db.prepare(
      `INSERT INTO subscriptions (guild_id, channel_id, time, timezone, active, origin, created_by, schedule_from, updated_at)
       VALUES (@guildId, @channelId, @time, @timezone, 1, 'env', NULL, @at, @at)
       ON CONFLICT (guild_id) DO NOTHING`,
    );
    this.deactivate = db.prepare(`UPDATE subscriptions SET active = 0, updated_at = ? WHERE guild_id = ? AND active = 1`);
    this.byGuild = db.prepare(`SELECT * FROM subscriptions WHERE guild_id = ?`);
    this.allActive = db.prepare(`SELECT * FROM subscriptions WHERE active = 1 ORDER BY id`);
  }

  async subscribe(input: SubscriptionInput, at: Date): Promise<Subscription> {
    this.upsert.run({ ...input, at: at.getTime() });
    return this.row(input.guildId)!;
  }

  async ensureDefault(input: Omit<SubscriptionInput, 'createdBy'>, at: Date): Promise<Subscription> {
    this.insertDefault.run({ ...input, at: at.getTime() });
    return this.row(input.guildId)!;
  }

  async unsubscribe(guildId: string, at: Date): Promise<boolean> {
    return this.deactivate.run(at.getTime(), guildId).changes > 0;
  }

  async forGuild(guildId: string): Promise<Subscription | null> {
    return this.row(guildId);
  }

  async active(): Promise<Subscription[]> {
    return (this.allActive.all() as SubscriptionRow[]).map(fromRow);
  }

  private row(guildId: string): Subscription | null {
    const row = this.byGuild.get(guildId) as SubscriptionRow | undefined;
    return row ? fromRow(row) : null;
  }
}
