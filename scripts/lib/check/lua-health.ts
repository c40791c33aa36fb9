// Runs an Argo CD health check written in Lua against an object, as Argo CD does: the script
// sees the live object as the global `obj` and returns a table with `status` and `message`
// (argo-cd@v3.4.4: util/lua/lua.go, ExecuteHealthLua). Argo CD embeds gopher-lua (Lua 5.1);
// fengari is Lua 5.3 in JavaScript, the same language for the tables, comparisons and returns
// our checks use. Loaded only when a check runs a script.
export interface LuaHealth {
  readonly status: string;
  readonly message: string;
}

/** A JSON value as a Lua table constructor. */
function luaValue(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `{${value.map(luaValue).join(", ")}}`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `[${JSON.stringify(k)}] = ${luaValue(v)}`);
  return `{${entries.join(", ")}}`;
}

/** The health the script gives `object`; throws with Lua's message if the script fails. */
export function runHealthLua(script: string, object: unknown): LuaHealth {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily; fengari ships no type declarations
  const { lua, lauxlib, lualib, to_luastring } = require("fengari");
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const program = `obj = ${luaValue(object)}\nlocal function check()\n${script}\nend\nlocal hs = check()\nreturn hs.status, hs.message`;
  if (lauxlib.luaL_dostring(L, to_luastring(program)) !== 0) throw new Error(lua.lua_tojsstring(L, -1));
  const status = lua.lua_tojsstring(L, -2) ?? "";
  const message = lua.lua_tojsstring(L, -1) ?? "";
  return { status, message };
}
