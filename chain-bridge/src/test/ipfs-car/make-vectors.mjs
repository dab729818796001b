// Produces chain-bridge's reference vectors with the real ipfs-car 3.1.0 (pinned in package-lock.json).
//
//   cd chain-bridge/src/test/ipfs-car && npm install --no-save && node make-vectors.mjs
//
// It writes every fixture to a temporary directory, packs it with the ipfs-car command line
// (`ipfs-car pack <path> [--no-wrap] --output <file>.car`), and records the root CID printed by the tool,
// the SHA-256 and length of the CAR file and its block count in
// ../resources/io/serigraph/chain/ipfs/ipfs-car-vectors.tsv. The three "layout-*" vectors cannot be made
// with the command line because they use a small chunk size and tree width to exercise deep balanced
// layouts; they go through the same steps as the command line (files-from-path, ipfs-car's exported
// createFileEncoderStream and CAREncoderStream) with those settings.
//
// Set SERIGRAPH_LARGE_VECTORS=1 to also pack a file of 1 GiB + 1 MiB + 1 byte with the command line (two
// levels of file nodes; about a minute). Without it the large vector already in the file is kept. The
// Java test that checks it runs only with -Dserigraph.largeVectors=true.
//
// The fixture contents are mirrored, byte for byte, by IpfsCarFixtures.java: change both together.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { filesFromPaths } from 'files-from-path'
import { createFileEncoderStream, CAREncoderStream } from 'ipfs-car'
import * as UnixFS from '@ipld/unixfs'
import { withMaxChunkSize } from '@ipld/unixfs/file/chunker/fixed'
import { withWidth } from '@ipld/unixfs/file/layout/balanced'
import * as raw from 'multiformats/codecs/raw'
import { CID } from 'multiformats/cid'

const here = path.dirname(fileURLToPath(import.meta.url))
const bin = path.join(here, 'node_modules', 'ipfs-car', 'bin.js')
const outFile = path.join(here, '..', 'resources', 'io', 'serigraph', 'chain', 'ipfs', 'ipfs-car-vectors.tsv')
const MiB = 1024 * 1024

/** xorshift32 byte stream: state = seed; per step x ^= x << 13; x ^= x >>> 17; x ^= x << 5; emit x little-endian. */
function pattern (seed, length) {
  const out = new Uint8Array(length)
  let x = seed >>> 0
  for (let i = 0; i < length; i += 4) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    for (let b = 0; b < 4 && i + b < length; b++) out[i + b] = (x >>> (8 * b)) & 0xff
  }
  return out
}

const text = s => new TextEncoder().encode(s)

/** Files of a directory of n small files: file-<i>.txt containing "serigraph <i>\n". */
function manyFiles (n) {
  const files = {}
  for (let i = 0; i < n; i++) files[`file-${i}.txt`] = text(`serigraph ${i}\n`)
  return files
}

/** A nested tree; names chosen so that path order, UTF-8 order and insertion order disagree. */
const nested = {
  'README.md': text('nested fixture\n'),
  'a.txt': pattern(7, 1000),
  'a-b.txt': text('dash sorts before dot and slash\n'),
  'a0': text('zero sorts after slash\n'),
  'a/empty.bin': new Uint8Array(0),
  'a/b/c/deep.txt': text('deep\n'),
  'big/blob.bin': pattern(5, MiB + MiB / 2),
  'big/small.bin': pattern(8, 3),
  'big/small-copy.bin': pattern(8, 3),
  'Z.txt': text('capitals sort first\n'),
  '.hidden': text('ipfs-car skips hidden files\n'),
  'sub/.git/config': text('and hidden directories\n')
}

/** Names whose UTF-16 order (block order) differs from their UTF-8 order (link order). */
const unicode = {
  '\u00e9t\u00e9.txt': text('summer\n'),
  '\uff21.txt': text('fullwidth A\n'),
  '\ud83d\ude00.txt': text('grinning face\n'),
  'ascii.txt': text('plain\n'),
  'd\u00eer/\ud83d\udcc1/f.txt': text('nested unicode\n')
}

/** Every file lies under one sub-directory: ipfs-car strips the common directory prefix. */
const commonPrefix = {
  'only/sub/x.txt': text('x\n'),
  'only/sub/y.txt': text('y\n')
}

// name, kind ('file' = packed with --no-wrap, 'wrapped' = a single file packed with the default wrap,
// 'dir' = a directory packed as is), content (bytes, or a map of relative path -> bytes)
const vectors = [
  ['empty', 'file', new Uint8Array(0)],
  ['one-byte', 'file', pattern(1, 1)],
  ['hello', 'file', text('hello world\n')],
  ['one-mib', 'file', pattern(2, MiB)],
  ['one-mib-plus-one', 'file', pattern(3, MiB + 1)],
  ['five-mib', 'file', pattern(4, 5 * MiB)],
  ['hello-wrapped', 'wrapped', text('hello world\n')],
  ['dir-empty', 'dir', {}],
  ['dir-1000', 'dir', manyFiles(1000)],
  ['dir-1001', 'dir', manyFiles(1001)],
  ['dir-nested', 'dir', nested],
  ['dir-unicode', 'dir', unicode],
  ['dir-common-prefix', 'dir', commonPrefix]
]
if (process.env.SERIGRAPH_LARGE_VECTORS === '1') vectors.push(['large-1025-mib-plus-one', 'file', pattern(11, 1025 * MiB + 1)])

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'serigraph-ipfs-car-'))
const rows = []
try {
  for (const [name, kind, content] of vectors) {
    const input = path.join(work, name)
    const args = ['pack']
    if (kind === 'dir') {
      fs.mkdirSync(input)
      for (const [rel, bytes] of Object.entries(content)) {
        const file = path.join(input, ...rel.split('/'))
        fs.mkdirSync(path.dirname(file), { recursive: true })
        fs.writeFileSync(file, bytes)
      }
      // An empty sub-directory: ipfs-car only packs files, so it must leave no trace.
      if (name === 'dir-nested') fs.mkdirSync(path.join(input, 'empty-dir'))
      args.push(input)
    } else {
      const file = kind === 'wrapped' ? path.join(input, 'hello.txt') : input
      fs.mkdirSync(path.dirname(file), { recursive: true })
      fs.writeFileSync(file, content)
      args.push(file)
      if (kind === 'file') args.push('--no-wrap')
    }
    const car = path.join(work, `${name}.car`)
    args.push('--output', car)
    const root = execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' }).trim()
    rows.push(describe(name, root, fs.readFileSync(car)))
  }
  // One write (the whole file is under 64 KiB): every leaf, then the branches.
  rows.push(await packWithLayout('layout-one-write', pattern(6, 5000), 64, 4))
  // Five 64 KiB writes with chunks straddling them: leaves and branches interleave.
  rows.push(await packWithLayout('layout-straddle', pattern(9, 300000), 1000, 3))
  // One leaf per write, as the command line does with its 1 MiB chunks: the shape of a file over 1 GiB.
  rows.push(await packWithLayout('layout-leaf-per-write', pattern(10, 20 * 65536 + 7), 65536, 3))
} finally {
  fs.rmSync(work, { recursive: true, force: true })
}

// Without SERIGRAPH_LARGE_VECTORS the large vector is not remade: keep the committed one.
if (process.env.SERIGRAPH_LARGE_VECTORS !== '1' && fs.existsSync(outFile)) {
  for (const line of fs.readFileSync(outFile, 'utf8').split('\n')) {
    if (line.startsWith('large-')) rows.push(line.split('\t'))
  }
}
fs.mkdirSync(path.dirname(outFile), { recursive: true })
fs.writeFileSync(outFile, [
  '# Reference vectors made by chain-bridge/src/test/ipfs-car/make-vectors.mjs with ipfs-car 3.1.0. Do not edit.',
  '# name\troot CID\tCAR SHA-256 (hex)\tCAR bytes\tblocks',
  ...rows.map(r => r.join('\t')),
  ''
].join('\n'))
console.log(`wrote ${rows.length} vectors to ${path.relative(process.cwd(), outFile)}`)

/**
 * Packs one file like `ipfs-car pack --no-wrap` does (read from disk by files-from-path in 64 KiB slices,
 * encoded by ipfs-car's createFileEncoderStream, written by its CAREncoderStream) but with a small chunk
 * size and tree width, so that deep balanced trees and their block order are covered by small inputs.
 */
async function packWithLayout (name, content, chunkSize, width) {
  const settings = UnixFS.configure({
    fileChunkEncoder: raw,
    smallFileEncoder: raw,
    chunker: withMaxChunkSize(chunkSize),
    fileLayout: withWidth(width)
  })
  const file = path.join(work, name)
  fs.writeFileSync(file, content)
  const [input] = await filesFromPaths([file])
  const blocks = []
  await createFileEncoderStream(input, settings).pipeTo(new WritableStream({ write (b) { blocks.push(b) } }))
  const root = blocks[blocks.length - 1].cid
  const parts = []
  const stream = new ReadableStream({
    start (controller) {
      for (const b of blocks) controller.enqueue(b)
      controller.close()
    }
  })
  await stream.pipeThrough(new CAREncoderStream([root])).pipeTo(new WritableStream({ write (c) { parts.push(c) } }))
  return describe(`${name}-c${chunkSize}-w${width}`, root.toString(), Buffer.concat(parts))
}

function describe (name, root, carBytes) {
  CID.parse(root)
  return [name, root, createHash('sha256').update(carBytes).digest('hex'), String(carBytes.length), String(countBlocks(carBytes))]
}

/** Counts the sections after the header of a CAR v1 file. */
function countBlocks (bytes) {
  let offset = 0
  const varint = () => {
    let value = 0
    let shift = 0
    for (;;) {
      const b = bytes[offset++]
      value += (b & 0x7f) * 2 ** shift
      if (b < 0x80) return value
      shift += 7
    }
  }
  // Read the length first: `offset += varint()` would add to the offset from before the varint.
  const headerLength = varint()
  offset += headerLength
  let count = 0
  while (offset < bytes.length) {
    const sectionLength = varint()
    offset += sectionLength
    count++
  }
  return count
}
