import type { BaseInteraction } from 'discord.js';

/**
 * Whether the member who used a command may change the library: the command's permission, or the
 * configured library role. Default member permissions only hide a command, and server admins can
 * override them, so every command checks again when it runs.
 */
export function mayChangeLibrary(interaction: BaseInteraction, permission: bigint, roleId: string | null): boolean {
  if (!interaction.inGuild()) return false;
  if (interaction.memberPermissions.has(permission)) return true;
  if (roleId === null) return false;
  const roles = interaction.member.roles;
  return Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
}

/** "the Manage Messages permission or the <role> role" */
export function whoMay(permissionName: string, roleId: string | null): string {
  return roleId ? `the ${permissionName} permission or the library role` : `the ${permissionName} permission`;
}
