// The worker's downloads for image imports; they live with the services, which fetch repository indexes with them too.
export { DownloadError, downloadFile, guardedLookup, type DownloadOptions } from '../services/downloads.ts';
