// The provider block of bpg/proxmox v0.111.1 (docs/index.md, "Argument Reference").
// Every argument is optional in the real schema (each can come from PROXMOX_VE_* env
// variables) even where the docs say "Required"; credentials are sensitive.
import { block, optional, repeatedBlock, required, type Schema } from "./dsl";

const sshNode = block({
  name: required("string", "The name of the node."),
  address: required("string", "The FQDN/IP address of the node."),
  port: optional("number", "SSH port of the node. Defaults to 22."),
});

const ssh = block(
  {
    username: optional("string", "The username to use for the SSH connection (PROXMOX_VE_SSH_USERNAME)."),
    password: optional("string", "The password to use for the SSH connection (PROXMOX_VE_SSH_PASSWORD).", { sensitive: true }),
    agent: optional("bool", "Whether to use the SSH agent for the SSH authentication. Defaults to false."),
    agent_socket: optional("string", "The path to the SSH agent socket. Defaults to SSH_AUTH_SOCK."),
    agent_forwarding: optional("bool", "Whether to enable SSH agent forwarding. Defaults to false."),
    private_key: optional("string", "The private key (PEM) to use for the SSH connection (PROXMOX_VE_SSH_PRIVATE_KEY).", { sensitive: true }),
    socks5_server: optional("string", "The address of the SOCKS5 proxy server to use for the SSH connection."),
    socks5_username: optional("string", "The username to use for the SOCKS5 proxy server."),
    socks5_password: optional("string", "The password to use for the SOCKS5 proxy server.", { sensitive: true }),
    node_address_source: optional("string", "How node addresses are resolved for SSH: api or dns."),
  },
  { node: repeatedBlock(sshNode) },
);

export const providerSchema: Schema = {
  version: 0,
  block: block(
    {
      endpoint: optional("string", "The endpoint for the Proxmox VE API (PROXMOX_VE_ENDPOINT)."),
      insecure: optional("bool", "Whether to skip the TLS verification step (PROXMOX_VE_INSECURE). Defaults to false."),
      min_tls: optional("string", "The minimum required TLS version for API calls: 1.0|1.1|1.2|1.3. Defaults to 1.3."),
      auth_ticket: optional("string", "The auth ticket from an external auth call (PROXMOX_VE_AUTH_TICKET).", { sensitive: true }),
      csrf_prevention_token: optional("string", "The CSRF Prevention Token from an external auth call.", { sensitive: true }),
      api_token: optional("string", "The API Token for the Proxmox VE API (PROXMOX_VE_API_TOKEN).", { sensitive: true }),
      otp: optional("string", "The one-time password for the Proxmox VE API (deprecated).", { deprecated: true }),
      username: optional("string", "The username and realm for the Proxmox VE API (PROXMOX_VE_USERNAME)."),
      password: optional("string", "The password for the Proxmox VE API (PROXMOX_VE_PASSWORD).", { sensitive: true }),
      tmp_dir: optional("string", "Use a custom temporary directory (PROXMOX_VE_TMPDIR)."),
      random_vm_ids: optional("bool", "Use random VM IDs when vm_id is not specified. Defaults to false."),
      random_vm_id_start: optional("number", "The start of the range for random VM IDs. Defaults to 10000."),
      random_vm_id_end: optional("number", "The end of the range for random VM IDs. Defaults to 99999."),
    },
    { ssh: repeatedBlock(ssh) },
  ),
};
