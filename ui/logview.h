#pragma once

#include "logbacklog.h"
#include "logstream.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QToolButton;

namespace pw::ui {

class ApiClient;
class JumpToBottom;
class LogDelegate;
class LogFilterProxy;
class LogModel;

// The live log view of one target (one tab of the Logs page): follows one stream into a
// LogModel (ring buffer), with pause/resume (bounded queue, visible count), search with
// highlight and next/previous, a filter (plain or regex), wrap, timestamp, prefix and JSON
// toggles, a source filter (click a line's pod/container prefix), a "↓ N new lines" button
// while scrolled up, save, clear, and markers for gaps, reconnects and ended sources.
// Incoming lines are collected and appended in one batch per frame (50 ms); following the
// end scrolls once per pass, after the append.
class LogView : public QWidget {
    Q_OBJECT
public:
    LogView(ApiClient *client, QWidget *parent = nullptr);
    ~LogView() override;

    LogModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    LogStream *stream() const { return m_stream; }
    // What follow() was last given (kept after stop()).
    const LogTarget &target() const { return m_target; }
    JumpToBottom *jumpButton() const { return m_jump; }

    void follow(const LogTarget &target);
    void stop();
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    qint64 queuedLines() const { return m_backlog.heldLines(); }
    void setQueueLimit(qint64 lines) { m_backlog.setLimit(qMax<qint64>(1, lines)); }
    void setCapacity(int lines);

    void setSearchText(const QString &text);
    int matchCount() const { return m_matchCount; }
    bool findNext(bool backwards = false); // selects and shows the next match; false if none
    // Returns an error text for an invalid regex.
    QString setFilter(const QString &text, bool regex);
    void setWrap(bool wrap);
    void setShowTimestamps(bool show);
    void setShowPrefix(bool show);
    void setPrettyJson(bool pretty);
    // Only the lines of `source` ("pod/container"); empty: every source.
    void setSourceFilter(const QString &source);
    QString sourceFilter() const;
    // The source whose prefix is at `pos` of the list's viewport; empty when none is there.
    QString prefixAt(const QPoint &pos) const;
    QString suggestedFileName(const QDateTime &when) const;
    bool saveTo(const QString &path, QString *error = nullptr) const;
    void clear();
    void focusSearch();

    // Lines received since the last call (for the dashboard's lines/s).
    qint64 takeReceivedCount();
    qint64 receivedTotal() const { return m_receivedTotal; }

Q_SIGNALS:
    void statusChanged(const QString &text);
    void linesAppended(qint64 lines); // lines shown (or queued while paused) in one pass

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildToolbar();
    QToolButton *toolButton(const QString &text, const QString &toolTip);
    void connectToolbar(QToolButton *prev, QToolButton *next, QToolButton *save,
                        QToolButton *clearButton);
    void onLines(const QStringList &lines, qint64 firstSeq, const QString &source);
    void connectStream();
    void showFilteredModel(bool wasActive);
    void flush();
    void appendNow(LogBatch &&batch);
    void updatePauseLabel();
    void updateStatus(const QString &streamState = QString());
    void recountMatches();
    void saveWithDialog();
    QAbstractItemModel *shownModel() const;

    ApiClient *m_client;
    LogModel *m_model;
    LogFilterProxy *m_proxy;
    LogDelegate *m_delegate;
    QListView *m_view;
    JumpToBottom *m_jump;
    LogTarget m_target;
    QPointer<LogStream> m_stream;
    QToolButton *m_pauseButton;
    QLabel *m_pauseLabel;
    QLineEdit *m_searchEdit;
    QLabel *m_matchLabel;
    QLineEdit *m_filterEdit;
    QComboBox *m_filterMode;
    QCheckBox *m_wrapBox;
    QCheckBox *m_timestampBox;
    QCheckBox *m_prefixBox;
    QCheckBox *m_jsonBox;
    QToolButton *m_showAllButton;
    QLabel *m_statusLabel;
    QTimer m_flushTimer;
    QTimer m_scrollToEnd; // follows the end once the appended rows are laid out
    LogBacklog m_backlog; // received, not yet shown: collected per frame, held while paused
    qint64 m_receivedTotal = 0;
    qint64 m_receivedSinceTake = 0;
    bool m_paused = false;
    int m_matchCount = 0;
    QString m_streamState;
    QElapsedTimer m_recountClock;
};

} // namespace pw::ui
