import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { runtimeOf, type CommandContext } from '../src/bot/context.js';
import { UserError, describeError } from '../src/bot/errors.js';
import { LIMITS } from '../src/bot/limits.js';
import { tellUser } from '../src/bot/replies.js';
import { mayChangeLibrary, whoMay } from '../src/kept/access.js';
import { UPLOAD_TYPES_TEXT, libraryFiles, removeLibraryFile, saveUpload, uploadName } from '../src/kept/docs-folder.js';
import { DownloadError, downloadAttachment, megabytes } from '../src/kept/download.js';
import { hasDocument, reindexUntil } from '../src/kept/reindex.js';

/** /library add|remove|list — files added to the docs folder from Discord (Manage Server, or the library role). */
export const data = new SlashCommandBuilder()
  .setName('library')
  .setDescription('Add a file to the library, remove one, or list what was added from Discord')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('add')
      .setDescription('Add a file: PDF, Word (.docx), Markdown, text or HTML')
      .addAttachmentOption((o) => o.setName('file').setDescription('The document to add').setRequired(true)),
  )
  .addSubcommand((sub) =>
    sub
      .setName('remove')
      .setDescription('Remove a file added from Discord')
      .addStringOption((o) => o.setName('file').setDescription('Its path, e.g. uploads/handbook.pdf').setRequired(true).setAutocomplete(true).setMaxLength(200)),
  )
  .addSubcommand((sub) => sub.setName('list').setDescription('List the files added from Discord'));

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const { roleId, maxUploadBytes } = runtimeOf(ctx).config.library;
  if (!mayChangeLibrary(interaction, PermissionFlagsBits.ManageGuild, roleId)) {
    ctx.log.warn('/library refused', { user: interaction.user.id, guild: interaction.guildId });
    await tellUser(interaction, `Changing the library from Discord needs ${whoMay('Manage Server', roleId)}.`);
    return;
  }
  const subcommand = interaction.options.getSubcommand();
  if (subcommand === 'list') {
    const files = await libraryFiles(ctx.config.docsDir);
    const lines = files.map((f) => `\`${f.rel}\` (${megabytes(f.bytes)})`);
    await tellUser(interaction, files.length === 0 ? 'Nothing has been added from Discord yet.' : `Added from Discord (${files.length}):\n${fitting(lines)}`);
    return;
  }
  ctx.library(); // while the index is still loading this throws, and the user is told so before any deferral
  if (subcommand === 'add') return add(interaction, ctx, maxUploadBytes);
  if (subcommand === 'remove') return remove(interaction, ctx);
  throw new UserError(`Unknown subcommand "${subcommand}".`);
}

async function add(interaction: ChatInputCommandInteraction, ctx: CommandContext, maxBytes: number): Promise<void> {
  const attachment = interaction.options.getAttachment('file', true);
  const name = uploadName(attachment.name);
  if ('refused' in name) throw new UserError(`${name.refused} Nothing was added.`);
  if (attachment.size > maxBytes) throw new UserError(`The file is ${megabytes(attachment.size)}; the limit is ${megabytes(maxBytes)}. Nothing was added.`);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  let bytes: Buffer;
  try {
    bytes = await downloadAttachment(attachment.url, maxBytes, attachment.size);
  } catch (error) {
    if (error instanceof DownloadError) throw new UserError(`${error.message} Nothing was added.`);
    throw error;
  }
  const saved = await saveUpload(ctx.config.docsDir, name, bytes);
  if (saved.duplicate) {
    await tellUser(interaction, `This file is already in the library, as \`${saved.rel}\`. Nothing was added.`);
    return;
  }
  ctx.log.info('file added to the library', { path: saved.rel, bytes: bytes.length, user: interaction.user.id });
  const renamed = saved.rel.endsWith(`/${name.stem}${name.ext}`) ? '' : ` (another file already had the name ${name.stem}${name.ext})`;
  const stored = `Added \`${saved.rel}\`${renamed}.`;
  try {
    const { indexed } = await reindexUntil(() => ctx.library(), hasDocument(saved.rel));
    await tellUser(
      interaction,
      indexed
        ? `${stored} Ask about it with \`/ask\`. To take it out: \`/library remove file:${saved.rel}\`.`
        : `${stored} It is stored, but not in the index: the library could not read it (the bot's log says why). \`/library remove file:${saved.rel}\` takes it out.`,
    );
  } catch (error) {
    ctx.log.error('re-index after /library add failed', describeError(error));
    await tellUser(interaction, `${stored} Re-indexing failed (${error instanceof Error ? error.message : String(error)}); it will be indexed with the next re-index.`);
  }
}

async function remove(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void> {
  const rel = interaction.options.getString('file', true).trim();
  if (!(await removeLibraryFile(ctx.config.docsDir, rel))) {
    throw new UserError(`\`${rel.slice(0, 200)}\` is not a file added from Discord; \`/library list\` shows them.`);
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  ctx.log.info('file removed from the library', { path: rel, user: interaction.user.id });
  try {
    const { indexed } = await reindexUntil(() => ctx.library(), (library) => !hasDocument(rel)(library));
    await tellUser(interaction, indexed ? `Removed \`${rel}\`; answers no longer quote it.` : `Removed \`${rel}\`; the index still has it until the next re-index.`);
  } catch (error) {
    ctx.log.error('re-index after /library remove failed', describeError(error));
    await tellUser(interaction, `Removed \`${rel}\`. Re-indexing failed (${error instanceof Error ? error.message : String(error)}); it goes with the next re-index.`);
  }
}

/** As many lines as fit in one message, then how many were left out. */
function fitting(lines: string[]): string {
  const out: string[] = [];
  let length = 0;
  for (const [i, line] of lines.entries()) {
    if (length + line.length + 40 > LIMITS.content - 100) {
      out.push(`… and ${lines.length - i} more`);
      break;
    }
    out.push(line);
    length += line.length + 1;
  }
  return out.join('\n');
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void> {
  if (!mayChangeLibrary(interaction, PermissionFlagsBits.ManageGuild, runtimeOf(ctx).config.library.roleId)) {
    await interaction.respond([]);
    return;
  }
  const typed = String(interaction.options.getFocused()).toLowerCase();
  const files = (await libraryFiles(ctx.config.docsDir)).filter((f) => f.rel.toLowerCase().includes(typed) && f.rel.length <= LIMITS.choiceValue);
  await interaction.respond(files.slice(0, LIMITS.choices).map((f) => ({ name: f.rel, value: f.rel })));
}
