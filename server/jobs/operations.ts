import type { Operation } from './operation.ts';
import type { OperationName } from '../operations/steps.ts';
import { vmCapture } from './vm-capture.ts';
import { vmCreate } from './vm-create.ts';
import { vmDeploy } from './vm-deploy.ts';
import { vmPassword } from './vm-password.ts';
import { vmReinstall } from './vm-reinstall.ts';
import { vmResize } from './vm-resize.ts';
import { vmDelete } from './vm-delete.ts';
import { vmReboot } from './vm-reboot.ts';
import { vmReset } from './vm-reset.ts';
import { vmResume } from './vm-resume.ts';
import { vmShutdown } from './vm-shutdown.ts';
import { vmStart } from './vm-start.ts';
import { vmStop } from './vm-stop.ts';
import { vmSuspend } from './vm-suspend.ts';

export const OPERATIONS: Record<OperationName, Operation> = {
  'vm.create': vmCreate,
  'vm.start': vmStart,
  'vm.shutdown': vmShutdown,
  'vm.stop': vmStop,
  'vm.reboot': vmReboot,
  'vm.reset': vmReset,
  'vm.suspend': vmSuspend,
  'vm.resume': vmResume,
  'vm.delete': vmDelete,
  'vm.deploy': vmDeploy,
  'vm.reinstall': vmReinstall,
  'vm.resize': vmResize,
  'vm.password': vmPassword,
  'vm.capture': vmCapture,
};
