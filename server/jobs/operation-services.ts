// What operations may ask of the services (operations sit beneath them): each call commits and
// publishes its own change.
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { OperationServices } from '../operations/define.ts';
import { imageFilePath, markImageFailed, publishImage, registerImageFile, removeImageFiles } from '../services/images.ts';
import { leaseOfVm } from '../services/ip-pools.ts';
import { findHost, migrationAddressOf, settingsOf } from '../services/hosts.ts';
import { recordCurrentSnapshot, recordSnapshotGone, recordSnapshotKept, recordSnapshotTaken, snapshotRecord } from '../services/snapshots.ts';
import { publishVm } from '../services/vms.ts';
import { backupForTask, lastReadyBackup, updateBackupRow } from '../services/backups.ts';
import { clearBootOnce, hardwareOfVm, removeInterfaceRecord, restoreBandwidth } from '../services/vm-interfaces.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { markCopyUsed } from './image-cache.ts';
import { downloadFile } from './image-download.ts';

export function operationServices(db: Db, pubsub: PubSub, config: Config): OperationServices {
  return {
    async readyImage(imageId) {
      const image = await db.selectFrom('images').selectAll().where('id', '=', imageId).executeTakeFirst();
      if (!image || image.status !== 'ready' || !image.sha256) throw new Error('The image is gone or not ready');
      return image;
    },
    imageFilePath: (image) => imageFilePath(config, image),
    leaseOfVm: (vmId) => leaseOfVm(db, vmId),
    markCopyUsed: (hostId, name, sha256) => markCopyUsed(db, hostId, name, sha256),
    async acceptImageFile(imageId, source, file, sha256) {
      const image = await registerImageFile(db, config, { imageId, ownerId: null, source }, file, sha256 ? { sha256 } : {});
      await publishImage(db, pubsub, image);
      return image;
    },
    async failImage(imageId, message) {
      const image = await markImageFailed(db, imageId, message);
      if (!image) return;
      // Its worker may have died after moving the file into the store: an image that is not ready keeps no file.
      await removeImageFiles(config, image.id);
      await publishImage(db, pubsub, image);
    },
    async peerHost(hostId) {
      const host = await findHost(db, hostId);
      return { host, settings: settingsOf(host, config), hypervisor: hypervisorFor(host, { timeoutMs: 60_000 }), migrationAddress: migrationAddressOf(host, config) };
    },
    async moveVm(vmId, hostId) {
      const vm = await db.updateTable('vms').set({ host_id: hostId, updated_at: new Date() }).where('id', '=', vmId).returningAll().executeTakeFirst();
      if (vm) publishVm(pubsub, vm);
    },
    async leaveOnHost(hostId, vmId, reason) {
      await db.insertInto('host_leftovers').values({ host_id: hostId, vm_id: vmId, reason }).onConflict((oc) => oc.columns(['host_id', 'vm_id']).doUpdateSet({ reason })).execute();
    },
    vmDisks: (vmId) => db.selectFrom('vm_disks').selectAll().where('vm_id', '=', vmId).orderBy('is_boot', 'desc').orderBy('created_at').orderBy('id').execute(),
    async forgetVmDisk(diskId) {
      await db.deleteFrom('vm_disks').where('id', '=', diskId).where('is_boot', '=', false).execute();
    },
    vmHardware: (vmId) => hardwareOfVm(db, vmId),
    removeInterface: (vmId, interfaceId) => removeInterfaceRecord(db, vmId, interfaceId),
    bootedOnce: (vmId) => clearBootOnce(db, vmId),
    restoreInterfaceBandwidth: (vmId, interfaceId, bandwidth) => restoreBandwidth(db, vmId, interfaceId, bandwidth),
    vmHostId: async (vmId) => (await db.selectFrom('vms').select('host_id').where('id', '=', vmId).executeTakeFirst())?.host_id ?? null,
    liveVm: async (vmId) => (await db.selectFrom('vms').selectAll().where('id', '=', vmId).where('deleted_at', 'is', null).executeTakeFirst()) ?? null,
    backupOf: (backupId) => backupForTask(db, backupId),
    lastBackup: (vmId, targetId, exceptId) => lastReadyBackup(db, vmId, targetId, exceptId),
    updateBackup: (backupId, patch) => updateBackupRow(db, backupId, patch),
    snapshotRecord: (snapshotId) => snapshotRecord(db, snapshotId),
    recordSnapshotTaken: (vmId, snapshotId, facts, current) => recordSnapshotTaken(db, vmId, snapshotId, facts, current),
    recordSnapshotGone: (vmId, snapshotId) => recordSnapshotGone(db, vmId, snapshotId),
    recordSnapshotKept: (snapshotId) => recordSnapshotKept(db, snapshotId),
    recordCurrentSnapshot: (vmId, current) => recordCurrentSnapshot(db, vmId, current),
    downloadImage: (url, dest, onProgress) => downloadFile(url, dest, { allowedNetworks: config.importAllowedNetworks, maxBytes: config.imageMaxBytes, onProgress }),
  };
}
