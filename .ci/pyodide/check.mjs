// Runs chaingrad's wheel in Pyodide under Node, offline, then check.py inside it.
//
//   node .ci/pyodide/check.mjs WHEEL_DIR
//
// WHEEL_DIR holds the chaingrad wheel (python -m build --wheel) and the pure wheels of what
// Pyodide needs and the npm package does not bundle (micropip, tqdm, graphviz: `pip download`
// from PyPI, see tests/test_pyodide.py). Pyodide itself comes from node_modules (`npm ci` in
// this folder). Any attempt to reach the network fails the run.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = path.dirname(fileURLToPath(import.meta.url));
const wheelDir = path.resolve(process.argv[2] || path.join(here, "wheels"));

// Offline: every URL fetched must be a local file.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => {
  const text = String(url);
  if (/^(https?|wss?):/i.test(text)) {
    throw new Error(`check.mjs is offline, but something fetched ${text}`);
  }
  return realFetch(url, ...rest);
};

const wheels = readdirSync(wheelDir).filter((f) => f.endsWith(".whl"));
const find = (prefix) => {
  const hits = wheels.filter((f) => f.toLowerCase().startsWith(prefix + "-"));
  if (hits.length !== 1) {
    throw new Error(`expected one ${prefix} wheel in ${wheelDir}, found ${hits.length}`);
  }
  return hits[0];
};

const pyodide = await loadPyodide({
  stdout: (s) => console.log(s),
  stderr: (s) => console.error(s),
});
await pyodide.loadPackage(path.join(wheelDir, find("micropip")));
pyodide.FS.mkdirTree("/wheels");
for (const name of wheels) {
  pyodide.FS.writeFile(`/wheels/${name}`, readFileSync(path.join(wheelDir, name)));
}
pyodide.globals.set("deps", ["tqdm", "graphviz"].map((p) => `emfs:/wheels/${find(p)}`));
pyodide.globals.set("chaingrad", `emfs:/wheels/${find("chaingrad")}`);
// The dependencies first, from their wheels (micropip would look for them online); then
// chaingrad with its dependencies resolved as pip would, which leaves graphviz-pure out here.
await pyodide.runPythonAsync(`
import micropip
await micropip.install(deps, deps=False)
await micropip.install(chaingrad)
print("ok installed", sorted(micropip.list()))
`);
await pyodide.runPythonAsync(readFileSync(path.join(here, "check.py"), "utf8"));
