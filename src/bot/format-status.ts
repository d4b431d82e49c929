import type { APIEmbed } from 'discord.js';
import type { LibraryStatus, ReindexReport } from '../library-api.js';
import { formatDuration } from '../format/duration.js';
import { COLORS, fitText, type MessageParts } from './format-answer.js';

export interface RuntimeInfo {
  uptimeMs: number;
  /** Gateway heartbeat latency; null before the first heartbeat. */
  pingMs: number | null;
  guilds: number;
  reindexing: boolean;
  now?: Date;
}

export function formatStatus(status: LibraryStatus, info: RuntimeInfo): MessageParts {
  const now = info.now ?? new Date();
  const built = status.indexedAt;
  const age = Number.isNaN(built.getTime()) ? 'unknown' : `${formatDuration(now.getTime() - built.getTime())} ago (<t:${Math.floor(built.getTime() / 1000)}:f>)`;
  const embed: APIEmbed = {
    title: 'archivist status',
    color: COLORS.source,
    fields: [
      { name: 'Documents', value: String(status.documents), inline: true },
      { name: 'Passages', value: String(status.passages), inline: true },
      { name: 'Embedder', value: `${fitText(status.embedder, 200)} · ${status.dims} dims`, inline: true },
      { name: 'Index built', value: age, inline: false },
      { name: 'Uptime', value: formatDuration(info.uptimeMs), inline: true },
      { name: 'Gateway ping', value: info.pingMs === null || info.pingMs < 0 ? 'n/a' : `${Math.round(info.pingMs)} ms`, inline: true },
      { name: 'Servers', value: String(info.guilds), inline: true },
    ],
  };
  if (info.reindexing) embed.description = 'A re-index is running; answers come from the current index until it finishes.';
  return { embeds: [embed], components: [] };
}

export function formatReindexReport(report: ReindexReport, status: LibraryStatus): MessageParts {
  const embed: APIEmbed = {
    title: 'Re-index finished',
    color: COLORS.source,
    description: [
      `**Added:** ${report.added} · **Changed:** ${report.changed} · **Removed:** ${report.removed} · **Unchanged:** ${report.unchanged}`,
      `**Passages embedded:** ${report.passagesEmbedded} in ${formatDuration(report.ms)}${report.ms < 1000 ? ` (${Math.round(report.ms)} ms)` : ''}`,
      `The library now has ${status.documents} documents and ${status.passages} passages; answers use the new index.`,
    ].join('\n'),
  };
  return { embeds: [embed], components: [] };
}
