// Screenshots of each view for docs/screenshots/ (not a CTest test): the same process as
// `pullwatch --demo` — the embedded backend on the simulated cluster plus the window — with
// a few pulls started, captured with QWidget::grab(). Run it under a real X server:
//   xvfb-run -a -s "-screen 0 1400x900x24" build/tests/tst_ui_screenshots docs/screenshots
#include "app/embeddedbackend.h"
#include "app/options.h"

#include "ui/apiclient.h"
#include "ui/dashboardview.h"
#include "ui/failedpullsmodel.h"
#include "ui/failedpullsview.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/logselector.h"
#include "ui/logspage.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/namelistmodel.h"
#include "ui/pulldialog.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QListView>
#include <QPalette>
#include <QTest>

#include <cstdio>
#include <functional>

using namespace pw::app;
using namespace pw::core;
using namespace pw::ui;

namespace {

void waitFor(const std::function<bool()> &condition, int ms, const char *what) {
    if (!QTest::qWaitFor(condition, ms))
        std::fprintf(stderr, "note: gave up waiting for %s\n", what);
}

bool save(QWidget *widget, const QString &dir, const QString &name) {
    const QString path = QDir(dir).filePath(name);
    const bool ok = widget->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char **argv) {
    QTemporaryDir home;
    qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());
    qputenv("XDG_STATE_HOME", home.filePath(QStringLiteral("state")).toUtf8());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pullwatch"));
    QApplication::setOrganizationName(QStringLiteral("pullwatch"));
    const QString outDir =
        argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/screenshots");
    QDir().mkpath(outDir);

    const ParsedOptions parsed =
        Options::parse({"pullwatch", "--demo", "--listen", "127.0.0.1:0", "--pull-backoff-grace",
                        "3", "--log-level", "warning"},
                       QProcessEnvironment());
    EmbeddedBackend backend(parsed.options);
    QString error;
    if (!backend.start(&error)) {
        std::fprintf(stderr, "backend: %s\n", qPrintable(error));
        return 1;
    }
    MainWindow window(backend.baseUrl());
    window.resize(1280, 780);
    window.show();
    ApiClient *client = window.client();
    if (!QTest::qWaitFor([client] { return client->state() == ApiClient::State::Connected; },
                         10'000))
        return 1;

    // Some history: completed, failed (not found, push failed) and a chatty one.
    client->startPulls({"nginx:1.27", "alpine:3.20", "example.com/notfound/tool:1.0",
                        "pushfail/app:2.1", "ghcr.io/org/chatty-exporter:0.9", "redis:7.2"});
    // Logs: the demo namespace's web server.
    window.showTab(MainWindow::LogsTab);
    LogSelector *selector = window.logsPage()->selector();
    selector->select(LogTarget{QStringLiteral("demo"), QStringLiteral("web-frontend"), QString(),
                               QStringLiteral("nginx")});
    waitFor([selector] { return selector->names()->rowCount() > 0; }, 10'000, "demo pods");
    QString webPod;
    for (const auto &item : selector->names()->items())
        if (item.name.startsWith(QStringLiteral("web-frontend-")))
            webPod = item.name;
    LogView *webView = window.logsPage()->open(
        LogTarget{QStringLiteral("demo"), webPod, QString(), QStringLiteral("nginx"), 200, true});
    // Merged: every container of the batch worker and the importer (JSON lines with levels),
    // one colour per pod/container.
    LogTarget merged{QStringLiteral("demo"), QString(), QString(), QStringLiteral("*"), 200, true};
    merged.selector = QStringLiteral("app in (batch-worker,flaky-importer)");
    LogView *mergedView = window.logsPage()->open(merged);
    selector->select(LogTarget{QStringLiteral("demo"), webPod, QString(), QStringLiteral("nginx")});

    QTest::qWait(22'000);
    // Pulls in progress for the active table, at different stages.
    client->startPulls({"nvcr.io/nvidia/slow-pytorch:24.05-py3",
                        "quay.io/prometheus/node-exporter:v1.8.1",
                        "docker.io/library/slow-postgres:16", "python:3.12-slim"});
    QTest::qWait(4500);
    window.showTab(MainWindow::ActiveTab);
    QTest::qWait(300);
    bool ok = save(&window, outDir, QStringLiteral("active-pulls.png"));

    window.showTab(MainWindow::FailedTab);
    FailedPullsModel *failed = window.failedModel();
    client->refreshFailed();
    waitFor([failed] { return failed->rowCount() >= 2; }, 20'000, "failed pulls");
    for (int r = 0; r < failed->rowCount(); ++r)
        if (failed->pullAt(r).reason == FailureReason::PushFailed || r == failed->rowCount() - 1) {
            window.failedView()->selectJob(failed->pullAt(r).id);
            break;
        }
    waitFor([&window] { return !window.failedView()->shownJobId().isEmpty(); }, 10'000,
            "pull details");
    QTest::qWait(300);
    ok &= save(&window, outDir, QStringLiteral("failed-pulls.png"));

    window.showTab(MainWindow::HistoryTab);
    HistoryModel *history = window.historyModel();
    window.historyView()->refresh();
    waitFor([history] { return history->rowCount() >= 6; }, 20'000, "history");
    QTest::qWait(300);
    ok &= save(&window, outDir, QStringLiteral("history.png"));

    window.showTab(MainWindow::LogsTab);
    window.logsPage()->tabs()->setCurrentWidget(webView);
    webView->setSearchText(QStringLiteral("/api/v1"));
    QTest::qWait(500);
    ok &= save(&window, outDir, QStringLiteral("logs.png"));
    webView->setSearchText(QString());
    window.logsPage()->tabs()->setCurrentWidget(mergedView);
    mergedView->setShowTimestamps(false);
    QTest::qWait(800);
    ok &= save(&window, outDir, QStringLiteral("logs-merged.png"));
    // The same on a dark theme: the source and level colours must read on both.
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x25, 0x26, 0x2b));
    dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Base, QColor(0x1b, 0x1c, 0x20));
    dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::Button, QColor(0x30, 0x31, 0x37));
    dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    dark.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x70, 0x70, 0x70));
    dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x70, 0x70, 0x70));
    const QPalette light = window.palette();
    window.setPalette(dark);
    QTest::qWait(300);
    ok &= save(&window, outDir, QStringLiteral("logs-merged-dark.png"));
    window.setPalette(light);
    // JSON lines indented, and the "↓ N new lines" button while scrolled up.
    mergedView->setPrettyJson(true);
    mergedView->view()->scrollToTop();
    QTest::qWait(1500);
    ok &= save(&window, outDir, QStringLiteral("logs-json.png"));
    mergedView->setPrettyJson(false);

    window.showTab(MainWindow::DashboardTab);
    window.dashboard()->redraw(QDateTime::currentMSecsSinceEpoch());
    QTest::qWait(1200);
    ok &= save(&window, outDir, QStringLiteral("dashboard.png"));

    PullDialog *dialog = window.openPullDialog();
    dialog->resize(620, 520);
    dialog->setText(QStringLiteral(
        "nginx:1.27\nnvcr.io/nvidia/pytorch:24.05-py3\nghcr.io/Org/Tool:latest\nredis:7.2"));
    QTest::qWait(300);
    ok &= save(dialog, outDir, QStringLiteral("pull-dialog.png"));
    dialog->reject();

    window.close();
    backend.stop();
    return ok ? 0 : 1;
}
