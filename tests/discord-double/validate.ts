/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * What Discord would reject in a message body (content, embeds, components, allowed_mentions) and in
 * command registrations. The double answers 400 (code 50035) and records a violation for each.
 */

export type JsonObject = Record<string, any>;

const ROW = 1;
const BUTTON = 2;

export function messageViolations(body: JsonObject, options: { requireSomething?: boolean } = {}): string[] {
  const problems: string[] = [];
  const content = body.content;
  if (content !== undefined && content !== null) {
    if (typeof content !== 'string') problems.push('content must be a string');
    else if (content.length > 2000) problems.push(`content is ${content.length} characters (max 2000)`);
  }
  const embeds: JsonObject[] = Array.isArray(body.embeds) ? body.embeds : [];
  if (embeds.length > 10) problems.push(`${embeds.length} embeds (max 10)`);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds[${i}]`;
    const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);
    if (len(embed.title) > 256) problems.push(`${at}.title is ${len(embed.title)} characters (max 256)`);
    if (len(embed.description) > 4096) problems.push(`${at}.description is ${len(embed.description)} characters (max 4096)`);
    if (embed.footer && len(embed.footer.text) > 2048) problems.push(`${at}.footer.text too long`);
    if (embed.author && len(embed.author.name) > 256) problems.push(`${at}.author.name too long`);
    if (embed.url !== undefined && !/^https?:\/\//.test(String(embed.url))) problems.push(`${at}.url is not http(s)`);
    total += len(embed.title) + len(embed.description) + len(embed.footer?.text) + len(embed.author?.name);
    const fields: JsonObject[] = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > 25) problems.push(`${at} has ${fields.length} fields (max 25)`);
    fields.forEach((field, j) => {
      if (typeof field.name !== 'string' || field.name.trim() === '') problems.push(`${at}.fields[${j}].name is empty`);
      if (typeof field.value !== 'string' || field.value.trim() === '') problems.push(`${at}.fields[${j}].value is empty`);
      if (len(field.name) > 256) problems.push(`${at}.fields[${j}].name is ${len(field.name)} characters (max 256)`);
      if (len(field.value) > 1024) problems.push(`${at}.fields[${j}].value is ${len(field.value)} characters (max 1024)`);
      total += len(field.name) + len(field.value);
    });
  });
  if (total > 6000) problems.push(`embeds total ${total} characters (max 6000)`);

  const rows: JsonObject[] = Array.isArray(body.components) ? body.components : [];
  if (rows.length > 5) problems.push(`${rows.length} action rows (max 5)`);
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    if (row.type !== ROW) {
      problems.push(`components[${i}] is not an action row`);
      return;
    }
    const items: JsonObject[] = Array.isArray(row.components) ? row.components : [];
    if (items.length === 0 || items.length > 5) problems.push(`components[${i}] has ${items.length} components (1-5)`);
    items.forEach((item, j) => {
      const at = `components[${i}][${j}]`;
      if (item.type !== BUTTON) return;
      if (item.style === 5) {
        if (!item.url || item.custom_id) problems.push(`${at}: link buttons need a url and no custom_id`);
      } else if (typeof item.custom_id !== 'string' || item.custom_id.length === 0 || item.custom_id.length > 100) {
        problems.push(`${at}.custom_id must be 1-100 characters`);
      } else if (ids.has(item.custom_id)) {
        problems.push(`${at}.custom_id "${item.custom_id}" is not unique`);
      } else {
        ids.add(item.custom_id);
      }
      if (!item.label && !item.emoji) problems.push(`${at} needs a label or an emoji`);
      if (typeof item.label === 'string' && item.label.length > 80) problems.push(`${at}.label is too long (max 80)`);
    });
  });

  const mentions = body.allowed_mentions;
  if (mentions !== undefined && mentions !== null) {
    const parse: unknown[] = Array.isArray(mentions.parse) ? mentions.parse : [];
    if (parse.includes('users') && Array.isArray(mentions.users) && mentions.users.length > 0) problems.push('allowed_mentions: parse users and users[] together');
    if (parse.includes('roles') && Array.isArray(mentions.roles) && mentions.roles.length > 0) problems.push('allowed_mentions: parse roles and roles[] together');
  }
  if (options.requireSomething) {
    const empty = !(typeof content === 'string' && content.length > 0) && embeds.length === 0 && rows.length === 0 && !body.attachments?.length;
    if (empty) problems.push('Cannot send an empty message');
  }
  return problems;
}

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const CONTEXT_MENU_NAME = /^(?! )[-_ '\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}(?<! )$/u;

export function commandViolations(commands: unknown): string[] {
  if (!Array.isArray(commands)) return ['body must be an array of commands'];
  const problems: string[] = [];
  const names = new Set<string>();
  commands.forEach((command: JsonObject, i) => {
    const at = `commands[${i}]`;
    const type = command.type ?? 1;
    if (type === 1) {
      if (typeof command.name !== 'string' || !NAME.test(command.name) || command.name !== command.name.toLowerCase()) problems.push(`${at}.name is invalid`);
    } else if (type === 2 || type === 3) {
      // User and message commands: 1-32 characters, capitals and spaces allowed, no description or options.
      if (typeof command.name !== 'string' || !CONTEXT_MENU_NAME.test(command.name)) problems.push(`${at}.name is invalid`);
      if (command.description) problems.push(`${at}: context-menu commands have no description`);
      if (command.options !== undefined && (!Array.isArray(command.options) || command.options.length > 0)) problems.push(`${at}: context-menu commands have no options`);
    } else {
      problems.push(`${at}.type ${String(type)} is not a command type`);
    }
    if (names.has(command.name)) problems.push(`${at}.name "${command.name}" is duplicated`);
    names.add(command.name);
    if (type === 1 && (typeof command.description !== 'string' || command.description.length < 1 || command.description.length > 100)) {
      problems.push(`${at}.description must be 1-100 characters`);
    }
    const check = (options: unknown, path: string) => {
      if (options === undefined) return;
      if (!Array.isArray(options) || options.length > 25) {
        problems.push(`${path} must be at most 25 options`);
        return;
      }
      let optionalSeen = false;
      options.forEach((option: JsonObject, j) => {
        const where = `${path}[${j}]`;
        if (typeof option.name !== 'string' || !NAME.test(option.name)) problems.push(`${where}.name is invalid`);
        if (typeof option.description !== 'string' || option.description.length < 1 || option.description.length > 100) problems.push(`${where}.description must be 1-100 characters`);
        if (option.type !== 1 && option.type !== 2) {
          if (option.required) {
            if (optionalSeen) problems.push(`${where}: required options must come before optional ones`);
          } else optionalSeen = true;
        }
        if (option.autocomplete && Array.isArray(option.choices) && option.choices.length > 0) problems.push(`${where}: autocomplete and choices are exclusive`);
        check(option.options, `${where}.options`);
      });
    };
    check(command.options, `${at}.options`);
  });
  return problems;
}
