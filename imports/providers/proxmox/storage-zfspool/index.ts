// https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface StorageZfspoolConfig extends cdktf.TerraformMetaArguments {
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#blocksize StorageZfspool#blocksize}
  */
  readonly blocksize?: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#content StorageZfspool#content}
  */
  readonly content?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#disable StorageZfspool#disable}
  */
  readonly disable?: boolean | cdktf.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#id StorageZfspool#id}
  *
  * Please be aware that the id field is automatically added to all resources in Terraform providers using a Terraform provider SDK version below 2.
  * If you experience problems setting this value it might not be settable. Please take a look at the provider documentation to ensure it should be settable.
  */
  readonly id: string;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#nodes StorageZfspool#nodes}
  */
  readonly nodes?: string[];
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#thin_provision StorageZfspool#thin_provision}
  */
  readonly thinProvision?: boolean | cdktf.IResolvable;
  /**
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#zfs_pool StorageZfspool#zfs_pool}
  */
  readonly zfsPool: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool proxmox_storage_zfspool}
*/
export class StorageZfspool extends cdktf.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "proxmox_storage_zfspool";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a StorageZfspool resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the StorageZfspool to import
  * @param importFromId The id of the existing StorageZfspool that should be imported. Refer to the {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the StorageZfspool to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "proxmox_storage_zfspool", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/bpg/proxmox/0.111.1/docs/resources/storage_zfspool proxmox_storage_zfspool} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options StorageZfspoolConfig
  */
  public constructor(scope: Construct, id: string, config: StorageZfspoolConfig) {
    super(scope, id, {
      terraformResourceType: 'proxmox_storage_zfspool',
      terraformGeneratorMetadata: {
        providerName: 'proxmox',
        providerVersion: '0.111.1',
        providerVersionConstraint: '= 0.111.1'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._blocksize = config.blocksize;
    this._content = config.content;
    this._disable = config.disable;
    this._id = config.id;
    this._nodes = config.nodes;
    this._thinProvision = config.thinProvision;
    this._zfsPool = config.zfsPool;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // blocksize - computed: false, optional: true, required: false
  private _blocksize?: string; 
  public get blocksize() {
    return this.getStringAttribute('blocksize');
  }
  public set blocksize(value: string) {
    this._blocksize = value;
  }
  public resetBlocksize() {
    this._blocksize = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get blocksizeInput() {
    return this._blocksize;
  }

  // content - computed: true, optional: true, required: false
  private _content?: string[]; 
  public get content() {
    return cdktf.Fn.tolist(this.getListAttribute('content'));
  }
  public set content(value: string[]) {
    this._content = value;
  }
  public resetContent() {
    this._content = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get contentInput() {
    return this._content;
  }

  // disable - computed: true, optional: true, required: false
  private _disable?: boolean | cdktf.IResolvable; 
  public get disable() {
    return this.getBooleanAttribute('disable');
  }
  public set disable(value: boolean | cdktf.IResolvable) {
    this._disable = value;
  }
  public resetDisable() {
    this._disable = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get disableInput() {
    return this._disable;
  }

  // id - computed: false, optional: false, required: true
  private _id?: string; 
  public get id() {
    return this.getStringAttribute('id');
  }
  public set id(value: string) {
    this._id = value;
  }
  // Temporarily expose input value. Use with caution.
  public get idInput() {
    return this._id;
  }

  // nodes - computed: true, optional: true, required: false
  private _nodes?: string[]; 
  public get nodes() {
    return cdktf.Fn.tolist(this.getListAttribute('nodes'));
  }
  public set nodes(value: string[]) {
    this._nodes = value;
  }
  public resetNodes() {
    this._nodes = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get nodesInput() {
    return this._nodes;
  }

  // shared - computed: true, optional: false, required: false
  public get shared() {
    return this.getBooleanAttribute('shared');
  }

  // thin_provision - computed: false, optional: true, required: false
  private _thinProvision?: boolean | cdktf.IResolvable; 
  public get thinProvision() {
    return this.getBooleanAttribute('thin_provision');
  }
  public set thinProvision(value: boolean | cdktf.IResolvable) {
    this._thinProvision = value;
  }
  public resetThinProvision() {
    this._thinProvision = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get thinProvisionInput() {
    return this._thinProvision;
  }

  // zfs_pool - computed: false, optional: false, required: true
  private _zfsPool?: string; 
  public get zfsPool() {
    return this.getStringAttribute('zfs_pool');
  }
  public set zfsPool(value: string) {
    this._zfsPool = value;
  }
  // Temporarily expose input value. Use with caution.
  public get zfsPoolInput() {
    return this._zfsPool;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      blocksize: cdktf.stringToTerraform(this._blocksize),
      content: cdktf.listMapper(cdktf.stringToTerraform, false)(this._content),
      disable: cdktf.booleanToTerraform(this._disable),
      id: cdktf.stringToTerraform(this._id),
      nodes: cdktf.listMapper(cdktf.stringToTerraform, false)(this._nodes),
      thin_provision: cdktf.booleanToTerraform(this._thinProvision),
      zfs_pool: cdktf.stringToTerraform(this._zfsPool),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      blocksize: {
        value: cdktf.stringToHclTerraform(this._blocksize),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      content: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._content),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      disable: {
        value: cdktf.booleanToHclTerraform(this._disable),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      id: {
        value: cdktf.stringToHclTerraform(this._id),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      nodes: {
        value: cdktf.listMapperHcl(cdktf.stringToHclTerraform, false)(this._nodes),
        isBlock: false,
        type: "set",
        storageClassType: "stringList",
      },
      thin_provision: {
        value: cdktf.booleanToHclTerraform(this._thinProvision),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      zfs_pool: {
        value: cdktf.stringToHclTerraform(this._zfsPool),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
