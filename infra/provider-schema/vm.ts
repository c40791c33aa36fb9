// proxmox_virtual_environment_vm (SDKv2 resource), every argument of the v0.111.1 docs
// (docs/resources/virtual_environment_vm.md). Single blocks are lists with max_items 1,
// as SDKv2 declares them; repeatable blocks have no documented maximum here.
import { block, computed, listOf, optional, repeatedBlock, required, sdkId, singleBlock, type Schema } from "./dsl";

const str = (d: string, flags?: { computed?: boolean; deprecated?: boolean; sensitive?: boolean }) => optional("string", d, flags);
const num = (d: string, flags?: { computed?: boolean }) => optional("number", d, flags);
const bool = (d: string, flags?: { deprecated?: boolean }) => optional("bool", d, flags);

const agent = block(
  {
    enabled: bool("Whether to enable the QEMU agent (defaults to false)."),
    timeout: str("The maximum amount of time to wait for data from the QEMU agent to become available (defaults to 15m)."),
    trim: bool("Whether to enable the FSTRIM feature in the QEMU agent (defaults to false)."),
    type: str("The QEMU agent interface type: isa or virtio (defaults to virtio)."),
  },
  {
    wait_for_ip: singleBlock(
      block({
        disabled: bool("Whether to disable waiting for the agent to report an IP address (defaults to false)."),
        ipv4: bool("Wait for at least one IPv4 address (defaults to false)."),
        ipv6: bool("Wait for at least one IPv6 address (defaults to false)."),
      }),
    ),
  },
);

const amdSev = block({
  type: str("std, es or snp (defaults to std)."),
  allow_smt: bool("Sets policy bit to allow SMT (defaults to true)."),
  kernel_hashes: bool("Add kernel hashes to guest firmware (defaults to false)."),
  no_debug: bool("Sets policy bit to disallow debugging of guest (defaults to false)."),
  no_key_sharing: bool("Sets policy bit to disallow key sharing with other guests (defaults to false)."),
});

const audioDevice = block({
  device: str("The device: AC97, ich9-intel-hda or intel-hda (defaults to intel-hda)."),
  driver: str("The driver (defaults to spice)."),
  enabled: bool("Whether to enable the audio device (defaults to true)."),
});

const cdrom = block({
  enabled: bool("Whether to enable the CD-ROM drive (deprecated; set file_id to none).", { deprecated: true }),
  file_id: str("A file ID for an ISO file, or none for an empty drive (defaults to cdrom)."),
  interface: str("A hardware interface to connect the CD-ROM drive to (defaults to ide3)."),
});

const clone = block({
  datastore_id: str("The identifier for the target datastore."),
  node_name: str("The name of the source node (leave blank, if equal to the node_name argument)."),
  retries: num("Number of retries in Proxmox for clone vm."),
  vm_id: required("number", "The identifier for the source VM."),
  full: bool("Full or linked clone (defaults to true)."),
});

const cpu = block({
  architecture: str("The CPU architecture: aarch64 or x86_64 (defaults to x86_64)."),
  cores: num("The number of CPU cores (defaults to 1)."),
  flags: optional(listOf("string"), "The CPU flags."),
  hotplugged: num("The number of hotplugged vCPUs (defaults to 0)."),
  limit: num("Limit of CPU usage, 0...128 (defaults to 0, no limit)."),
  numa: bool("Enable/disable NUMA (defaults to false)."),
  sockets: num("The number of CPU sockets (defaults to 1)."),
  type: str("The emulated CPU type (defaults to qemu64)."),
  units: num("The CPU units."),
  affinity: str("The CPU cores that are used to run the VM's vCPU, e.g. 0-3."),
});

const diskSpeed = block({
  iops_read: num("The maximum read I/O in operations per second."),
  iops_read_burstable: num("The maximum unthrottled read I/O pool in operations per second."),
  iops_write: num("The maximum write I/O in operations per second."),
  iops_write_burstable: num("The maximum unthrottled write I/O pool in operations per second."),
  read: num("The maximum read speed in megabytes per second."),
  read_burstable: num("The maximum burstable read speed in megabytes per second."),
  write: num("The maximum write speed in megabytes per second."),
  write_burstable: num("The maximum burstable write speed in megabytes per second."),
});

const disk = block(
  {
    aio: str("The disk AIO mode: io_uring, native or threads (defaults to io_uring)."),
    backup: bool("Whether the drive should be included when making backups (defaults to true)."),
    cache: str("The cache type (defaults to none)."),
    datastore_id: str("The identifier for the datastore to create the disk in (defaults to local-lvm)."),
    path_in_datastore: str("The in-datastore path to the disk image.", { computed: true }),
    discard: str("Whether to pass discard/trim requests to the underlying storage: on or ignore (defaults to ignore)."),
    file_format: str("The file format: qcow2, raw or vmdk.", { computed: true }),
    file_id: str("The file ID for a disk image when importing a disk into VM."),
    import_from: str("The file ID for a disk image to import into VM (content type import)."),
    interface: required("string", "The disk interface for Proxmox, e.g. scsi0, virtio0."),
    iothread: bool("Whether to use iothreads for this disk (defaults to false)."),
    queues: num("The number of I/O queues for this disk (SCSI, virtio-scsi-single)."),
    replicate: bool("Whether the drive should be considered for replication jobs (defaults to true)."),
    serial: str("The serial number of the disk, up to 20 bytes long."),
    size: num("The disk size in gigabytes (defaults to 8)."),
    ssd: bool("Whether to use an SSD emulation option for this disk (defaults to false)."),
  },
  { speed: singleBlock(diskSpeed) },
);

const efiDisk = block({
  datastore_id: str("The identifier for the datastore to create the disk in (defaults to local-lvm)."),
  file_format: str("The file format (defaults to raw).", { computed: true }),
  type: str("Size and type of the OVMF EFI disk: 2m or 4m (defaults to 2m)."),
  pre_enrolled_keys: bool("Use an EFI vars template with distribution-specific and Microsoft keys enrolled (defaults to false)."),
});

const tpmState = block({
  datastore_id: str("The identifier for the datastore to create the disk in (defaults to local-lvm)."),
  version: str("TPM state device version: v1.2 or v2.0 (defaults to v2.0)."),
});

const hostpci = block({
  device: required("string", "The PCI device name for Proxmox, in form of hostpciX."),
  id: str("The PCI device ID (root@pam only). Use either this or mapping."),
  mapping: str("The resource mapping name of the device, for example gpu. Use either this or id."),
  mdev: str("The mediated device ID to use."),
  pcie: bool("Tells Proxmox to use a PCIe or PCI port (PCIe needs q35)."),
  rombar: bool("Makes the firmware ROM visible for the VM (defaults to true)."),
  rom_file: str("A path to a ROM file for the device to use, relative to /usr/share/kvm/."),
  xvga: bool("Marks the PCI(e) device as the primary GPU of the VM."),
});

const usb = block({
  host: str("The Host USB device or port or the value spice. Use either this or mapping."),
  mapping: str("The cluster-wide resource mapping name of the device. Use either this or host."),
  usb3: bool("Makes the USB device a USB3 device for the VM (defaults to false)."),
});

const ipFamily = block({
  address: str("The address in CIDR notation, or dhcp (IPv6 also auto)."),
  gateway: str("The gateway (omit with dhcp or auto)."),
});

const initialization = block(
  {
    datastore_id: str("The identifier for the datastore to create the cloud-init disk in (defaults to local-lvm)."),
    interface: str("The hardware interface to connect the cloud-init image to (defaults to ide2)."),
    file_format: str("The file format: qcow2, raw or vmdk.", { computed: true }),
    network_data_file_id: str("The identifier for a file containing network configuration data (conflicts with ip_config)."),
    user_data_file_id: str("The identifier for a file containing custom user data (conflicts with user_account)."),
    vendor_data_file_id: str("The identifier for a file containing all vendor data passed to the VM via cloud-init."),
    meta_data_file_id: str("The identifier for a file containing all meta data passed to the VM via cloud-init."),
    upgrade: bool("Whether to do an automatic package upgrade after the first boot (defaults to true)."),
  },
  {
    dns: singleBlock(
      block({
        domain: str("The DNS search domain."),
        server: str("The DNS server (deprecated; use servers).", { deprecated: true }),
        servers: optional(listOf("string"), "The list of DNS servers."),
      }),
    ),
    ip_config: repeatedBlock(block({}, { ipv4: singleBlock(ipFamily), ipv6: singleBlock(ipFamily) })),
    user_account: singleBlock(
      block({
        keys: optional(listOf("string"), "The SSH keys."),
        password: str("The SSH password.", { sensitive: true }),
        username: str("The SSH username."),
      }),
    ),
  },
);

const memory = block({
  dedicated: num("The dedicated memory in megabytes (defaults to 512)."),
  floating: num("The floating memory in megabytes; 0 disables the ballooning device (defaults to 0)."),
  shared: num("The shared memory in megabytes (defaults to 0)."),
  hugepages: str("Enable hugepages memory: 2, 1024 or any."),
  keep_hugepages: bool("Keep hugepages memory after the VM is stopped (defaults to false)."),
});

const numa = block({
  device: required("string", "The NUMA device name for Proxmox, in form of numaX."),
  cpus: required("string", "The CPU cores to assign to the NUMA node (format is 0-7;16-31)."),
  memory: required("number", "The memory in megabytes to assign to the NUMA node."),
  hostnodes: str("The NUMA host nodes."),
  policy: str("The NUMA policy: interleave, preferred or bind (defaults to preferred)."),
});

const networkDevice = block({
  bridge: str("The name of the network bridge (defaults to vmbr0)."),
  disconnected: bool("Whether to disconnect the network device from the network (defaults to false)."),
  enabled: bool("Whether to enable the network device (deprecated; remove the block instead).", { deprecated: true }),
  firewall: bool("Whether this interface's firewall rules should be used (defaults to false)."),
  mac_address: str("The MAC address.", { computed: true }),
  model: str("The network device model (defaults to virtio)."),
  mtu: num("Force MTU, for VirtIO only. Set to 1 to use the bridge MTU."),
  queues: num("The number of queues for VirtIO (1..64)."),
  rate_limit: num("The rate limit in megabytes per second."),
  vlan_id: num("The VLAN identifier."),
  trunks: str("String containing a ; separated list of VLAN trunks."),
});

const operatingSystem = block({ type: str("The type, e.g. l26 for Linux 2.6 - 6.X (defaults to other).") });

const rng = block({
  source: required("string", "The file on the host to gather entropy from, e.g. /dev/urandom."),
  max_bytes: num("Maximum bytes of entropy injected into the guest every period milliseconds (defaults to 1024)."),
  period: num("Every period milliseconds the entropy-injection quota is reset (defaults to 1000)."),
});

const serialDevice = block({ device: str("The device: /dev/* or socket (defaults to socket).") });

const smbios = block({
  family: str("The family string."),
  manufacturer: str("The manufacturer."),
  product: str("The product ID."),
  serial: str("The serial number."),
  sku: str("The SKU number."),
  uuid: str("The UUID (defaults to randomly generated UUID).", { computed: true }),
  version: str("The version."),
});

const startup = block({
  order: required("number", "A non-negative number defining the general startup order."),
  up_delay: num("A non-negative number defining the delay in seconds before the next VM is started."),
  down_delay: num("A non-negative number defining the delay in seconds before the next VM is shut down."),
});

const vga = block({
  memory: num("The VGA memory in megabytes (defaults to 16)."),
  type: str("The VGA type (defaults to std)."),
  clipboard: str("Enable VNC clipboard by setting to vnc."),
});

const virtiofs = block({
  mapping: required("string", "Identifier of the directory mapping."),
  cache: str("The caching mode: auto, always, metadata or never."),
  direct_io: bool("Whether to allow direct io."),
  expose_acl: bool("Enable POSIX ACLs, implies xattr support."),
  expose_xattr: bool("Enable support for extended attributes."),
});

const watchdog = block({
  enabled: bool("Whether the watchdog is enabled (defaults to false)."),
  model: str("The watchdog type to emulate: i6300esb or ib700 (defaults to i6300esb)."),
  action: str("The action to perform if the guest fails to poll the watchdog in time (defaults to none)."),
});

export const vmSchema: Schema = {
  version: 0,
  block: block(
    {
      id: sdkId,
      acpi: bool("Whether to enable ACPI (defaults to true)."),
      bios: str("The BIOS implementation: ovmf or seabios (defaults to seabios)."),
      boot_order: optional(listOf("string"), "Specify a list of devices to boot from in the order they appear in the list."),
      description: str("The description."),
      hotplug: str("Selectively enable hotplug features: disk, network, usb, memory, cpu; 0 disables, 1 enables all."),
      keyboard_layout: str("The keyboard layout (defaults to en-us)."),
      kvm_arguments: str("Arbitrary arguments passed to kvm."),
      machine: str("The VM machine type: pc or q35 (defaults to pc)."),
      migrate: bool("Migrate the VM on node change instead of re-creating it (defaults to false)."),
      name: str("The virtual machine name. Must be a valid DNS name."),
      node_name: required("string", "The name of the node to assign the virtual machine to."),
      on_boot: bool("Specifies whether a VM will be started during system boot (defaults to true)."),
      pool_id: str("The identifier for a pool to assign the virtual machine to."),
      protection: bool("Sets the protection flag of the VM, disabling remove operations (defaults to false)."),
      reboot: bool("Reboot the VM after initial creation (defaults to false)."),
      reboot_after_update: bool("Whether the provider may reboot or power off the VM during updates when required (defaults to true)."),
      scsi_hardware: str("The SCSI hardware type (defaults to virtio-scsi-pci)."),
      started: bool("Whether to start the virtual machine (defaults to true)."),
      tablet_device: bool("Whether to enable the USB tablet device (defaults to true)."),
      tags: optional(listOf("string"), "A list of tags of the VM. Proxmox always sorts them."),
      template: bool("Whether the VM should be a template (defaults to false)."),
      stop_on_destroy: bool("Whether to stop rather than shutdown on VM destroy (defaults to false)."),
      purge_on_destroy: bool("Whether to purge the VM from backup configurations on destroy (defaults to true)."),
      delete_unreferenced_disks_on_destroy: bool("Whether to delete unreferenced disks on destroy (defaults to true)."),
      timeout_clone: num("Timeout for cloning a VM in seconds (defaults to 1800)."),
      timeout_create: num("Timeout for creating a VM in seconds (defaults to 1800)."),
      timeout_migrate: num("Timeout for migrating the VM (defaults to 1800)."),
      timeout_reboot: num("Timeout for rebooting a VM in seconds (defaults to 1800)."),
      timeout_shutdown_vm: num("Timeout for shutting down a VM in seconds (defaults to 1800)."),
      timeout_start_vm: num("Timeout for starting a VM in seconds (defaults to 1800)."),
      timeout_stop_vm: num("Timeout for stopping a VM in seconds (defaults to 300)."),
      vm_id: num("The VM identifier.", { computed: true }),
      hook_script_file_id: str("The identifier for a file containing a hook script."),
      ipv4_addresses: computed(listOf(listOf("string")), "The IPv4 addresses per network interface published by the QEMU agent."),
      ipv6_addresses: computed(listOf(listOf("string")), "The IPv6 addresses per network interface published by the QEMU agent."),
      mac_addresses: computed(listOf("string"), "The MAC addresses published by the QEMU agent with fallback to the network device configuration."),
      network_interface_names: computed(listOf("string"), "The network interface names published by the QEMU agent."),
    },
    {
      agent: singleBlock(agent),
      amd_sev: singleBlock(amdSev),
      audio_device: singleBlock(audioDevice),
      cdrom: singleBlock(cdrom),
      clone: singleBlock(clone),
      cpu: singleBlock(cpu),
      disk: repeatedBlock(disk),
      efi_disk: singleBlock(efiDisk),
      tpm_state: singleBlock(tpmState),
      hostpci: repeatedBlock(hostpci),
      usb: repeatedBlock(usb),
      initialization: singleBlock(initialization),
      memory: singleBlock(memory),
      numa: repeatedBlock(numa),
      network_device: repeatedBlock(networkDevice),
      operating_system: singleBlock(operatingSystem),
      rng: singleBlock(rng),
      serial_device: repeatedBlock(serialDevice),
      smbios: singleBlock(smbios),
      startup: singleBlock(startup),
      vga: singleBlock(vga),
      virtiofs: repeatedBlock(virtiofs),
      watchdog: singleBlock(watchdog),
    },
  ),
};
