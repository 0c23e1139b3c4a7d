#pragma once

#include "wsfixture.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace WsTest { class LogClient; }

// What the /ws/pod-logs suites share: the real server on an in-process kubesim with its demo
// workloads, started per test function (each suite's cleanup() resets m_f).
class WsLogsFixture : public QObject {
protected:
    // Chatty pods write "… chatty seq=<n> …" as fast as they are read (linesPerSecond 0) or
    // at a set rate; the image keyword picks the rule.
    static const QByteArray kChattyScenario;

    // start() runs kubesim with `scenario`.
    explicit WsLogsFixture(const QByteArray &scenario = kChattyScenario)
        : m_scenario(scenario) {}

    // The server with `ws` and the scenario; waits until pulls are ready.
    void start(const pw::server::WsConfig &ws = {});
    // The server with the demo workloads only (and `scenario`'s rules, when given).
    void startDemo(const QByteArray &scenario = {});
    QUrl logs(const QString &query) const;
    // The demo pod whose name starts with `prefix`, from GET /pods (restarts of its first
    // container in *restarts).
    QString demoPod(const QString &prefix, int *restarts = nullptr);
    // The server with the scenario (start()), a pull of the "chattyrestart" image (2,000 lines
    // a second, endless), 3,000 of its lines read by its only viewer, which leaves, so the
    // shared stream ends (readAndLeave).
    // Returns the pod's log query (job=…&container=push-to-harbor), with where the viewer
    // would resume and its stream's id in *resumeAt and *streamId; empty, and the test
    // failed, when that did not work.
    QString startChattyRestartAndLeave(qint64 *resumeAt, QString *streamId);
    // The server with a 5,000-line ring, a pull of the "chattyendless" image (50,000 lines a
    // second) and, in *keeper, a viewer that keeps its shared stream alive, once 20,000 lines
    // went through it. Returns the pod's log query; empty, and the test failed, when that did
    // not work.
    QString startEndlessKept(std::unique_ptr<WsTest::LogClient> *keeper);

    std::unique_ptr<WsTest::Fixture> m_f;

private:
    void startWith(const pw::server::WsConfig &ws, const QByteArray &scenario);

    const QByteArray m_scenario;
};
