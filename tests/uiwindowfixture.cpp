#include "uiwindowfixture.h"

#include "tempfile.h"

#include "ui/apiclient.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace pw::ui;

void UiWindowFixture::startBackendAndWindow() {
    QStandardPaths::setTestModeEnabled(true);
    // --pull-backoff-grace 2: a notfound pull fails within seconds instead of 90 s.
    QVERIFY2(m_backend.start({"--headless", "--demo", "--listen", "127.0.0.1:0", "--log-level",
                              "warning", "--pull-backoff-grace", "2"}),
             qPrintable(m_backend.error()));
    // Keep the child's pipes drained so it never blocks on a full pipe.
    QProcess *p = &m_backend.process();
    connect(p, &QProcess::readyReadStandardError, p, [p] { p->readAllStandardError(); });
    connect(p, &QProcess::readyReadStandardOutput, p, [p] { p->readAllStandardOutput(); });
    m_window = std::make_unique<MainWindow>(m_backend.baseUrl());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void UiWindowFixture::stopBackendAndWindow() {
    m_window.reset();
    m_backend.terminate();
}

QString UiWindowFixture::startPull(const QString &reference) {
    QSignalSpy started(m_window->client(), &ApiClient::pullsStarted);
    m_window->client()->startPulls({reference});
    if (!started.wait(10'000))
        return QString();
    return started.at(0).at(0).toStringList().value(0);
}

QString UiWindowFixture::startSecured(PullwatchProcess &backend, const QTemporaryDir &dir,
                                      const QByteArray &token, const QStringList &extra) {
    const QString tokenFile = writeTempFile(dir, QStringLiteral("token"), token + '\n');
    if (tokenFile.isEmpty())
        return QString();
    const QStringList args = QStringList{"--headless", "--listen",     "127.0.0.1:0", "--log-level",
                                         "warning",    "--token-file", tokenFile} +
                             extra;
    return backend.start(args) ? tokenFile : QString();
}
