// A VM action with a dialog of its own: one file each in this folder, found by VmDetail (Vite's
// import.meta.glob), offered when Vm.actions allows its action.
import type { Component } from 'solid-js';
import type { VmActionName } from '../../gql/graphql.ts';
import type { Task } from '../TaskLive.tsx';

export interface VmLike {
  id: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  state: string;
  image?: { id: string; name: string } | null;
  guest?: { username: string } | null;
  /** Where it runs (null for callers without Host.View). */
  host?: { id: string; name: string } | null;
}

export interface DialogProps {
  vm: VmLike;
  onClose: () => void;
  onStarted: (task: Task) => void;
}

export interface ActionDialog {
  /** Its action in Vm.actions. */
  action: VmActionName;
  /** The button's label. */
  label: string;
  /** Where its button stands among the others. */
  order: number;
  danger?: boolean;
  /** What the page says once its task has started. */
  notice: string;
  component: Component<DialogProps>;
}
