#pragma once

#include "uiwindowfixture.h"

#include "ui/logstream.h"

#include <QDateTime>
#include <QList>
#include <QModelIndex>
#include <QSet>
#include <QString>

namespace pw::ui { class LogView; }
namespace pw::ui { class LogsPage; }

// The time at the front of a line streamed with timestamps=true.
QDateTime stampOf(const QString &line);
// The Line rows of a view's shown model.
QList<QModelIndex> lineRows(pw::ui::LogView *view);
// The sources (pod/container) of those rows.
QSet<QString> sourcesOf(pw::ui::LogView *view);

// What the Logs tab suites share: the window on its Logs tab against one
// `pullwatch --headless --demo` backend, active and connected, and the demo's pods to follow.
class UiLogTabsFixture : public UiWindowFixture {
protected:
    // From the suite's initTestCase / cleanup.
    void startLogsPage();
    void closeLogTabs();
    // The demo pod whose name starts with `prefix`, as the window's client lists it.
    QString podNamed(const QString &prefix);
    // That pod's `container`, its last 50 lines.
    pw::ui::LogTarget demoTarget(const QString &podPrefix, const QString &container);

    pw::ui::LogsPage *m_page = nullptr;
};
