// Datacenter-level resources: the backup job (framework; docs/resources/backup_job.md)
// and resource pools (SDKv2; docs/resources/virtual_environment_pool.md).
import { block, computed, listOf, mapOf, nested, objectOf, optional, required, sdkId, type Schema } from "./dsl";

export const backupJobSchema: Schema = {
  version: 0,
  block: block({
    id: required("string", "The identifier of the backup job."),
    schedule: required("string", "Backup schedule in systemd calendar event format."),
    storage: required("string", "The storage identifier for the backup."),
    all: optional("bool", "Whether to back up all known guests on the node.", { computed: true }),
    bwlimit: optional("number", "I/O bandwidth limit in KiB/s."),
    compress: optional("string", "The compression algorithm (0, 1, gzip, lzo, or zstd).", { computed: true }),
    enabled: optional("bool", "Whether the backup job is enabled.", { computed: true }),
    exclude_path: optional(listOf("string"), "A list of paths to exclude from the backup."),
    ionice: optional("number", "I/O priority (0-8)."),
    lockwait: optional("number", "Maximum wait time in minutes for the global lock."),
    mailnotification: optional("string", "Email notification setting (always or failure)."),
    mailto: optional(listOf("string"), "A list of email addresses to send notifications to."),
    maxfiles: optional("number", "Deprecated: use prune_backups instead.", { deprecated: true }),
    mode: optional("string", "The backup mode (snapshot, suspend, or stop).", { computed: true }),
    node: optional("string", "The cluster node name to limit the backup job to."),
    notes_template: optional("string", "Template for notes attached to the backup."),
    pbs_change_detection_mode: optional("string", "PBS change detection mode (legacy, data, or metadata)."),
    pigz: optional("number", "Number of pigz threads (0 disables, 1 uses single-threaded gzip)."),
    pool: optional("string", "Limit backup to guests in the specified pool."),
    protected: optional("bool", "Whether the backup should be marked as protected."),
    prune_backups: optional(mapOf("string"), "Retention options as a map of keep policies (e.g. keep-last = \"3\")."),
    remove: optional("bool", "Whether to remove old backups if there are more than maxfiles."),
    repeat_missed: optional("bool", "Whether to repeat missed backup jobs as soon as possible."),
    script: optional("string", "Path to a script to execute before/after the backup job."),
    starttime: optional("string", "The scheduled start time (HH:MM)."),
    stdexcludes: optional("bool", "Whether to exclude common temporary files from the backup."),
    stopwait: optional("number", "Maximum wait time in minutes for a guest to stop."),
    tmpdir: optional("string", "Path to the temporary directory for the backup job."),
    vmid: optional(listOf("string"), "A list of guest VM/CT IDs to include in the backup job."),
    zstd: optional("number", "Number of zstd threads (0 uses half of available cores)."),
    fleecing: nested("single", "optional", "Fleecing configuration for the backup job.", {
      enabled: optional("bool", "Whether fleecing is enabled."),
      storage: optional("string", "The storage identifier for fleecing."),
    }),
    performance: nested("single", "optional", "Performance-related settings for the backup job.", {
      max_workers: optional("number", "Maximum number of workers for parallel backup."),
      pbs_entries_max: optional("number", "Maximum number of entries for PBS catalog."),
    }),
  }),
};

export const poolSchema: Schema = {
  version: 0,
  block: block({
    id: sdkId,
    pool_id: required("string", "The pool identifier."),
    comment: optional("string", "The pool comment."),
    members: computed(
      listOf(objectOf({ datastore_id: "string", id: "string", node_name: "string", type: "string", vm_id: "number" })),
      "The pool members.",
    ),
  }),
};
