// Runs QUnit test files in this Node process and reports each test; the last
// line is a JSON summary the test command sums across layers.
import QUnit from "qunit";
import path from "node:path";
import { pathToFileURL } from "node:url";

const files = process.argv.slice(2);
QUnit.config.autostart = false;
QUnit.config.testTimeout = Number(process.env.QUNIT_TIMEOUT || 180_000);
globalThis.QUnit = QUnit;

const failures = [];
QUnit.on("testEnd", (test) => {
    const name = `${test.fullName.join(" > ")}`;
    if (test.status === "failed") {
        failures.push(name);
        process.stdout.write(`  not ok  ${name}\n`);
        for (const error of test.errors) {
            process.stdout.write(`          ${error.message || ""}\n`);
            if (error.actual !== undefined || error.expected !== undefined) {
                process.stdout.write(`          actual:   ${JSON.stringify(error.actual)}\n          expected: ${JSON.stringify(error.expected)}\n`);
            }
            if (error.stack) {
                process.stdout.write(`${error.stack.split("\n").slice(0, 6).map((l) => `          ${l}`).join("\n")}\n`);
            }
        }
    } else if (test.status === "skipped" || test.status === "todo") {
        process.stdout.write(`  skip    ${name}\n`);
    } else {
        process.stdout.write(`  ok      ${name} (${Math.round(test.runtime)} ms)\n`);
    }
});
QUnit.on("runEnd", (run) => {
    const { passed, failed, skipped, todo } = run.testCounts;
    process.stdout.write(`${JSON.stringify({ summary: { passed, failed: failed, skipped: skipped + todo } })}\n`);
    process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});

for (const file of files) {
    await import(pathToFileURL(path.resolve(file)).href);
}
QUnit.start();
