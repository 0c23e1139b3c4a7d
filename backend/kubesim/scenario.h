#pragma once

#include <QList>
#include <QString>

namespace pw::kubesim {

// How a simulated pull Job ends, chosen by a keyword in its source image name.
enum class PullOutcome {
    Success,       // pulls, copies, exits 0
    NotFound,      // ErrImagePull (manifest unknown) then ImagePullBackOff forever
    Unauthorized,  // ErrImagePull (pull access denied … authentication required), back-off
    PushFail,      // pulls, then the copy exits with exitCode and an error log; retried
    Chatty,        // pulls, then logs continuously (chattyRate lines/s, chattyLines in all)
    Unschedulable, // the pod stays Pending: PodScheduled False/Unschedulable, FailedScheduling
};

// Durations of one pod's steps, in simulated milliseconds (multiplied by timeScale).
struct StepTimings {
    int scheduleMs = 150; // pod created → Scheduled
    int pullMs = 500;     // Pulling → Pulled (or → ErrImagePull)
    int startMs = 150;    // Pulled → Created + Started
    int initRunMs = 200;  // an init container's run
    int pushMs = 1500;    // the copy container's run (its log is spread over it)
    int backoffMs = 2000; // ErrImagePull ↔ ImagePullBackOff, and pod retry delay
};

struct OutcomeRule {
    QString keyword; // matched case-insensitively against the source image
    PullOutcome outcome = PullOutcome::Success;
    StepTimings timings;
    int exitCode = 1;       // PushFail
    int chattyRate = 50;    // Chatty: lines a second, 0 = as fast as readers take them
    qint64 chattyLines = 0; // Chatty: lines in all, 0 = endless
};

// The scenario file (JSON), every key optional:
// {
//   "timeScale": 0.1,                     // every simulated duration × this (default 1.0):
//                                         // step timings, activeDeadlineSeconds,
//                                         // ttlSecondsAfterFinished, back-off
//   "bookmarkIntervalMs": 1000,           // BOOKMARK events on watches that allow them
//   "defaults": { "scheduleMs":150, "pullMs":500, "startMs":150, "initRunMs":200,
//                 "pushMs":1500, "backoffMs":2000 },
//   "rules": [                            // first match wins, before the built-in rules
//     { "keyword": "flaky", "outcome": "pushfail", "exitCode": 2, "pushMs": 300 },
//     { "keyword": "chatty", "outcome": "chatty", "linesPerSecond": 0, "lines": 200000 }
//   ],
//   "faults": { "watchCutSeconds": 2, "failNextWatches": 2, "failWatchesAsEvent": false,
//               "logDropEveryLines": 10000 }
// }
// outcome is one of success, notfound, unauthorized, pushfail, chatty, unschedulable.
// Built-in rules: notfound, unauthorized, pushfail, slow (success with pullMs 30000 and
// pushMs 30000), chatty (50 lines/s, endless), unschedulable; anything else succeeds with
// the defaults.
struct Scenario {
    double timeScale = 1.0;
    int bookmarkIntervalMs = 1000;
    StepTimings defaults;
    QList<OutcomeRule> rules; // the file's, then the built-ins
    int watchCutMs = 0;
    int failNextWatches = 0;
    bool failWatchesAsEvent = false;
    int logDropEveryLines = 0;

    static Scenario builtIn();
    // Reads a scenario file over the built-in one; false with *error on a bad file.
    bool load(const QString &path, QString *error);
    bool parse(const QByteArray &json, QString *error);
    OutcomeRule ruleFor(const QString &image) const;
    int scaled(int ms) const;
};

} // namespace pw::kubesim
