// Grades responses with the MDN HTTP Observatory's own rules (@mdn/mdn-http-observatory).
//
// The package's scanner fetches http://<host>/ and https://<host>/ on the standard ports
// and needs a real certificate, so it cannot reach a loopback gunicorn. tests/test_observatory.py
// fetches the same requests itself, as the TLS proxy in front would pass them on, and
// gives them here as JSON on stdin:
//   {hostname, httpChain: [{url, status}], https: {url, status, headers, body}, cors: {status, headers}}
// headers are [name, value] pairs (Set-Cookie may repeat). This builds the package's
// Requests object from them, runs every one of its tests and scores them as its scan() does.
// Prints {score, grade, tests: {name: {result, pass, scoreModifier}}}.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { AxiosHeaders } from "axios";
import { CookieJar } from "tough-cookie";

import { ALL_TESTS } from "@mdn/mdn-http-observatory/src/constants.js";
import { MINIMUM_SCORE_FOR_EXTRA_CREDIT } from "@mdn/mdn-http-observatory/src/grader/charts.js";
import { getGradeForScore, getScoreModifier } from "@mdn/mdn-http-observatory/src/grader/grader.js";
import { parseHttpEquivHeaders } from "@mdn/mdn-http-observatory/src/retriever/utils.js";
import { Requests } from "@mdn/mdn-http-observatory/src/types.js";

function headersOf(pairs) {
  const headers = new AxiosHeaders();
  for (const [name, value] of pairs) {
    headers.set(name, headers.has(name) ? [].concat(headers.get(name), value) : value, true);
  }
  return headers;
}

function response({ status, headers, body = "" }, request = {}) {
  return { status, headers: headersOf(headers), data: body, verified: true, request: { headers: request } };
}

// The package reads Chromium's HSTS preload list from conf/hsts-preload.json, which only
// `npm run updateHsts` writes (it downloads the list). Without it, an empty list: no host
// counts as preloaded, which can only lower a score, never raise it.
const packageDir = path.dirname(createRequire(import.meta.url).resolve("@mdn/mdn-http-observatory/package.json"));
const preloadList = path.join(packageDir, "conf", "hsts-preload.json");
if (!fs.existsSync(preloadList)) fs.writeFileSync(preloadList, "{}");

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

const requests = new Requests(input.hostname);
const finalUrl = new URL(input.https.url);
const jar = new CookieJar();
for (const [name, value] of input.https.headers) {
  if (name.toLowerCase() === "set-cookie") jar.setCookieSync(value, finalUrl.href);
}
requests.session = { url: finalUrl, jar };
requests.responses.auto = response(input.https);
requests.responses.auto.httpEquiv = parseHttpEquivHeaders(input.https.body, finalUrl.href);
requests.responses.https = requests.responses.auto;
requests.responses.http = response(input.httpFinal);
requests.responses.httpRedirects = input.httpChain.map(({ url, status }) => ({ url: new URL(url), status }));
requests.responses.httpsRedirects = [];
requests.responses.cors = response(input.cors, input.cors.requestHeaders);
requests.resources.path = input.https.body;

let score = 100;
let uncurved = 100;
const tests = {};
for (const test of ALL_TESTS) {
  const output = test(requests);
  const modifier = getScoreModifier(output.result);
  score += modifier;
  if (modifier < 0) uncurved += modifier;
  tests[output.constructor.name] = { result: output.result, pass: output.pass, scoreModifier: modifier };
}
const final = getGradeForScore(uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? score : uncurved);
console.log(JSON.stringify({ score: final.score, grade: final.grade, tests }));
