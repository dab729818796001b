// Compiles SerigraphDrop.sol with solcjs (no compiler download) and writes SerigraphDrop.abi, .bin
// and .json (compiler version, settings, abi, bytecode) to the directory given, by default the
// committed resources. Usage: node compile.mjs [outDir]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = process.argv[2]
  ?? path.join(here, '..', 'resources', 'io', 'serigraph', 'chain', 'contract');

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
};
const input = {
  language: 'Solidity',
  sources: { 'SerigraphDrop.sol': { content: fs.readFileSync(path.join(here, 'SerigraphDrop.sol'), 'utf8') } },
  settings,
};
function findImports(p) {
  try {
    return { contents: fs.readFileSync(path.join(here, 'node_modules', p), 'utf8') };
  } catch (e) {
    return { error: `not found: ${p}` };
  }
}
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
for (const e of out.errors ?? []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

const c = out.contracts['SerigraphDrop.sol'].SerigraphDrop;
const abi = JSON.stringify(c.abi);
const bin = c.evm.bytecode.object;
const { outputSelection, ...recorded } = settings;
const json = {
  contractName: 'SerigraphDrop',
  compiler: { name: 'solcjs', version: solc.version() },
  settings: recorded,
  sources: {
    'SerigraphDrop.sol': 'chain-bridge/src/main/solidity/SerigraphDrop.sol',
    erc721a: require('erc721a/package.json').version,
    '@openzeppelin/contracts': require('@openzeppelin/contracts/package.json').version,
  },
  abi: c.abi,
  bytecode: '0x' + bin,
};
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'SerigraphDrop.abi'), abi + '\n');
fs.writeFileSync(path.join(outDir, 'SerigraphDrop.bin'), bin);
fs.writeFileSync(path.join(outDir, 'SerigraphDrop.json'), JSON.stringify(json, null, 2) + '\n');
console.log(`SerigraphDrop: ${bin.length / 2} bytes of init code, solc ${solc.version()} -> ${outDir}`);
