import { spawnSync } from 'node:child_process';

/**
 * Whether `jq` is on PATH. The recipes of docs/cli.md use it, so when it is there they run verbatim; every
 * recipe is also checked with a node stand-in for the jq step, so a machine without jq still
 * proves the JSON shapes. Missing jq is reported (not hidden) by the recipe tests.
 */
export const JQ_AVAILABLE = spawnSync('jq', ['--version'], { stdio: 'ignore' }).status === 0;

/** `jq -r '.[].id'` in node: one id per line from a JSON array on stdin. */
export const NODE_IDS = `node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{for(const e of JSON.parse(s))console.log(e.id)})'`;

/** `jq '.[] | select(.status == "active")'` in node: the active rows, one JSON object each. */
export const NODE_ACTIVE = `node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{for(const e of JSON.parse(s))if(e.status==="active")console.log(JSON.stringify(e,null,2))})'`;
