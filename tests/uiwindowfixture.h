#pragma once

#include "pullwatchprocess.h"

#include "ui/mainwindow.h"

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// What the window suites share: one `pullwatch --headless --demo` backend for the whole
// suite and a shown MainWindow connected to it, and backends that require a token.
class UiWindowFixture : public QObject {
protected:
    // From the suite's initTestCase / cleanupTestCase.
    void startBackendAndWindow();
    void stopBackendAndWindow();
    // Starts a pull of `reference` through the window's client; its job id, or empty.
    QString startPull(const QString &reference);
    // A backend that requires `token` (written to a file in `dir`); returns the file's path.
    static QString startSecured(PullwatchProcess &backend, const QTemporaryDir &dir,
                                const QByteArray &token, const QStringList &extra = {});

    PullwatchProcess m_backend;
    std::unique_ptr<pw::ui::MainWindow> m_window;
};
