// File resources: proxmox_download_file (framework; docs/resources/download_file.md) and
// proxmox_virtual_environment_file (SDKv2; docs/resources/virtual_environment_file.md).
import { block, computed, optional, required, sdkId, singleBlock, type Schema } from "./dsl";

export const downloadFileSchema: Schema = {
  version: 0,
  block: block({
    id: computed("string", "The unique identifier of this resource."),
    content_type: required("string", "The file content type: iso or import for VM images, vztmpl for LXC images."),
    datastore_id: required("string", "The identifier for the target datastore."),
    node_name: required("string", "The node name."),
    url: required("string", "The URL to download the file from."),
    checksum: optional("string", "The expected checksum of the file."),
    checksum_algorithm: optional("string", "The algorithm to calculate the checksum: md5, sha1, sha224, sha256, sha384 or sha512."),
    decompression_algorithm: optional("string", "Decompress the downloaded file: gz, lzo, zst or bz2."),
    file_name: optional("string", "The file name. If not provided, it is calculated using url.", { computed: true }),
    overwrite: optional("bool", "Replace the file when its size changed outside of Terraform or upstream (defaults to true).", { computed: true }),
    overwrite_unmanaged: optional("bool", "Delete and re-download an existing file of the same name.", { computed: true }),
    upload_timeout: optional("number", "The file download timeout seconds (defaults to 600).", { computed: true }),
    verify: optional("bool", "Verify SSL/TLS certificates (defaults to true).", { computed: true }),
    size: computed("number", "The file size in PVE."),
  }),
};

export const fileSchema: Schema = {
  version: 0,
  block: block(
    {
      id: sdkId,
      content_type: optional("string", "The content type: backup, iso, snippets, import or vztmpl.", { computed: true }),
      datastore_id: required("string", "The datastore id."),
      file_mode: optional("string", "The file mode in octal format, e.g. 0700 (root@pam only)."),
      node_name: required("string", "The node name."),
      overwrite: optional("bool", "Whether to overwrite an existing file (defaults to true)."),
      timeout_upload: optional("number", "Timeout for uploading ISO/VZTMPL files in seconds (defaults to 1800)."),
      upload_mode: optional("string", "The SSH upload mode for non-API content types: stream or sftp (defaults to stream)."),
      file_modification_date: computed("string", "The file modification date (RFC 3339)."),
      file_name: computed("string", "The file name."),
      file_size: computed("number", "The file size in bytes."),
      file_tag: computed("string", "The file tag."),
    },
    {
      source_file: singleBlock(
        block({
          checksum: optional("string", "The SHA256 checksum of the source file."),
          file_name: optional("string", "The file name to use instead of the source file name."),
          insecure: optional("bool", "Whether to skip the TLS verification step for HTTPS sources (defaults to false)."),
          min_tls: optional("string", "The minimum required TLS version for HTTPS sources (defaults to 1.3)."),
          path: required("string", "A path to a local file or a URL."),
        }),
      ),
      source_raw: singleBlock(
        block({
          data: required("string", "The raw data."),
          file_name: required("string", "The file name."),
          resize: optional("number", "The number of bytes to resize the file to."),
        }),
      ),
    },
  ),
};
