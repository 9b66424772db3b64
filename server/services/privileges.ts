// Privileges are the unit of authorization; roles are named sets of them.
export const PRIVILEGES = {
  'VM.Create': 'Create and deploy virtual machines',
  'VM.PowerMgmt': 'Start, stop, reboot and suspend virtual machines',
  'VM.Console': 'Open the console of virtual machines',
  'VM.Delete': 'Delete virtual machines',
  'VM.ViewAll': 'See every virtual machine, not only your own',
  'VM.ManageAll': 'Act on every virtual machine, not only your own',
  'VM.Migrate': 'Move virtual machines between hosts',
  'VM.Transfer': 'Give virtual machines to another user (their quota permitting)',
  'VM.Backup': 'Back up virtual machines you may act on to a backup target',
  'Backup.Restore': 'Restore backups of virtual machines you may act on, onto the VM or as a new VM',
  'BackupTarget.Manage': 'Add and remove backup targets (storage pools or shared paths for backups)',
  'Image.Create': 'Upload, import and capture OS images',
  'Image.Share': 'Share your images with other users',
  'Image.Manage': 'Manage every image, including public ones',
  'Host.View': 'See hypervisor hosts and their capacity',
  'Host.Manage': 'Add, change and remove hypervisor hosts',
  'User.View': 'See every user account',
  'User.Manage': 'Create, change and disable users, set their roles and quotas',
  'Role.Manage': 'Create, change and delete roles',
  'Audit.Read': 'Read the audit log',
  'Metrics.Read': 'Scrape the metrics of every VM and host at /metrics',
} as const;

export type Privilege = keyof typeof PRIVILEGES;
export const ALL_PRIVILEGES = Object.keys(PRIVILEGES) as Privilege[];

export function isPrivilege(value: string): value is Privilege {
  return Object.hasOwn(PRIVILEGES, value);
}

export interface BuiltInRole {
  name: string;
  description: string;
  privileges: Privilege[];
}

export const ADMINISTRATOR_ROLE = 'Administrator';
export const DEFAULT_USER_ROLE = 'User';

export const BUILT_IN_ROLES: BuiltInRole[] = [
  { name: ADMINISTRATOR_ROLE, description: 'Everything', privileges: ALL_PRIVILEGES },
  {
    name: 'Operator',
    description: 'Runs every VM and image; sees hosts',
    privileges: ['VM.Create', 'VM.PowerMgmt', 'VM.Console', 'VM.Delete', 'VM.ViewAll', 'VM.ManageAll', 'VM.Migrate', 'VM.Backup', 'Backup.Restore', 'Image.Create', 'Image.Share', 'Image.Manage', 'Host.View', 'Metrics.Read'],
  },
  {
    name: DEFAULT_USER_ROLE,
    description: 'Runs their own VMs and images',
    privileges: ['VM.Create', 'VM.PowerMgmt', 'VM.Console', 'VM.Delete', 'VM.Backup', 'Backup.Restore', 'Image.Create', 'Image.Share'],
  },
  {
    name: 'Auditor',
    description: 'Reads everything, changes nothing',
    privileges: ['Audit.Read', 'VM.ViewAll', 'Host.View', 'User.View', 'Metrics.Read'],
  },
];
