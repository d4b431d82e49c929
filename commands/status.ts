import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { runtimeOf, type CommandContext } from '../src/bot/context.js';
import { formatStatus } from '../src/bot/format-status.js';
import { replyOptions } from '../src/bot/replies.js';

/** /status — documents, passages, embedder, index age, uptime. */
export const data = new SlashCommandBuilder()
  .setName('status')
  .setDescription('Show what the library holds and how the bot is doing')
  .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const runtime = runtimeOf(ctx);
  const status = ctx.library().status();
  const parts = formatStatus(status, {
    uptimeMs: Date.now() - runtime.startedAt.getTime(),
    pingMs: ctx.client.ws.ping,
    guilds: ctx.client.guilds.cache.size,
    reindexing: runtime.reindex.running !== null,
  });
  await interaction.reply(replyOptions(parts, true));
}
