import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clearedCount, isRunnableDocument, runWithStallDetection } from "../src/stalls";

describe("runWithStallDetection", () => {
  it("runs the file with the user's interpreter under the server's, in the workspace folder", () => {
    const plan = runWithStallDetection(
      ["/home/me/.private/bin/python", "-X", "utf8"],
      ["/work/project/.venv/bin/python"],
      "/work/project/src/app with spaces.py",
      "/work/project",
    );
    assert.deepEqual(plan, {
      shellPath: "/home/me/.private/bin/python",
      shellArgs: ["-X", "utf8", "-m", "async_patterns", "run", "--", "/work/project/.venv/bin/python", "/work/project/src/app with spaces.py"],
      cwd: "/work/project",
    });
  });

  it("runs a file outside any workspace folder from its own folder", () => {
    assert.equal(runWithStallDetection(["python3"], ["python3"], "/tmp/scratch/app.py", undefined).cwd, "/tmp/scratch");
  });

  it("passes arguments that look like shell syntax as they are", () => {
    const plan = runWithStallDetection(["python3"], ["python3"], "/tmp/$(touch x);`id`.py", undefined);
    assert.equal(plan.shellArgs.at(-1), "/tmp/$(touch x);`id`.py");
  });

  it("refuses an empty interpreter command", () => {
    assert.throws(() => runWithStallDetection([], ["python3"], "/tmp/app.py", undefined));
    assert.throws(() => runWithStallDetection(["python3"], [], "/tmp/app.py", undefined));
  });
});

describe("isRunnableDocument", () => {
  it("accepts saved Python files only", () => {
    assert.equal(isRunnableDocument("python", "file"), true);
    assert.equal(isRunnableDocument("python", "untitled"), false);
    assert.equal(isRunnableDocument("javascript", "file"), false);
  });
});

describe("clearedCount", () => {
  it("reads the server's answer, counting anything unexpected as nothing", () => {
    assert.equal(clearedCount(2), 2);
    for (const answer of [0, -1, 1.5, "2", null, undefined, {}]) {
      assert.equal(clearedCount(answer), 0);
    }
  });
});
