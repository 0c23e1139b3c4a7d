#include "logview.h"

#include "apiclient.h"
#include "jumptobottom.h"
#include "logdelegate.h"
#include "logfilename.h"
#include "logfilterproxy.h"
#include "logmarkers.h"
#include "logmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QItemSelectionModel>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMouseEvent>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace pw::ui {

LogView::LogView(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_model(new LogModel(this))
    , m_proxy(new LogFilterProxy(this))
    , m_delegate(new LogDelegate(this))
    , m_view(new QListView(this))
    , m_jump(new JumpToBottom(m_view)) {
    m_proxy->setSourceModel(m_model);
    m_view->setObjectName(QStringLiteral("logList"));
    m_view->setModel(m_model); // the proxy only while a filter is on
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformItemSizes(true);
    m_view->setLayoutMode(QListView::SinglePass);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->viewport()->installEventFilter(this); // a click on a prefix filters by source
    m_view->viewport()->setMouseTracking(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    buildToolbar();
    layout->addWidget(m_view, 1);
    // The status line, and the display toggles at its right.
    auto *bottom = new QHBoxLayout;
    m_statusLabel = new QLabel(this);
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never pushes
    bottom->addWidget(m_statusLabel, 1);
    for (QWidget *w :
         std::initializer_list<QWidget *>{m_wrapBox, m_timestampBox, m_prefixBox, m_jsonBox})
        bottom->addWidget(w);
    layout->addLayout(bottom);

    m_scrollToEnd.setSingleShot(true);
    m_scrollToEnd.setInterval(0);
    connect(&m_scrollToEnd, &QTimer::timeout, m_view, &QListView::scrollToBottom);
    m_flushTimer.setInterval(50);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogView::flush);
    m_flushTimer.start();
    updateStatus();
}

LogView::~LogView() = default;

void LogView::buildToolbar() {
    auto *bar = new QHBoxLayout;
    m_pauseButton = new QToolButton(this);
    m_pauseButton->setText(tr("Pause"));
    m_pauseButton->setCheckable(true);
    m_pauseButton->setToolTip(tr("Pause the view; lines keep arriving and wait (Ctrl+P)"));
    m_pauseLabel = new QLabel(this);
    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setPlaceholderText(tr("Search (Ctrl+F)"));
    m_searchEdit->setClearButtonEnabled(true);
    QToolButton *prev = toolButton(tr("▲"), tr("Previous match (Shift+F3)"));
    QToolButton *next = toolButton(tr("▼"), tr("Next match (F3, Enter)"));
    m_matchLabel = new QLabel(this);
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setPlaceholderText(tr("Filter: show only matching lines"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterMode = new QComboBox(this);
    m_filterMode->addItems({tr("Plain"), tr("Regex")});
    m_wrapBox = new QCheckBox(tr("Wrap"), this);
    m_timestampBox = new QCheckBox(tr("Timestamps"), this);
    m_timestampBox->setChecked(true);
    m_prefixBox = new QCheckBox(tr("Prefix"), this);
    m_prefixBox->setToolTip(tr("Show each line's pod/container (merged logs); click a prefix "
                               "to show only that source"));
    m_prefixBox->setChecked(true);
    m_jsonBox = new QCheckBox(tr("JSON"), this);
    m_jsonBox->setToolTip(tr("Show JSON lines indented"));
    m_showAllButton = toolButton(tr("Show all"), tr("Show the lines of every source again"));
    m_showAllButton->setObjectName(QStringLiteral("showAllSources"));
    m_showAllButton->setEnabled(false);
    QToolButton *save = toolButton(tr("Save…"), QString());
    QToolButton *clearButton = toolButton(tr("Clear"), QString());
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_pauseButton, m_pauseLabel, m_searchEdit, prev, next, m_matchLabel, m_filterEdit,
             m_filterMode, m_showAllButton, save, clearButton})
        bar->addWidget(w);
    bar->setStretchFactor(m_searchEdit, 2);
    bar->setStretchFactor(m_filterEdit, 2);
    // Fixed widths for what changes text (Pause/Resume, the queued count, the match count),
    // so the toolbar never moves sideways while the user reaches for a button.
    const QFontMetrics fm(font());
    const int padding = m_pauseButton->sizeHint().width() - fm.horizontalAdvance(tr("Pause"));
    m_pauseButton->setMinimumWidth(
        qMax(m_pauseButton->sizeHint().width(), fm.horizontalAdvance(tr("Resume")) + padding));
    m_pauseLabel->setFixedWidth(
        fm.horizontalAdvance(tr("paused: %1 queued, %2 dropped").arg(9'999'999).arg(9'999'999)));
    m_matchLabel->setMinimumWidth(fm.horizontalAdvance(tr("%n match(es)", nullptr, 99'999)));
    static_cast<QVBoxLayout *>(layout())->addLayout(bar);
    connectToolbar(prev, next, save, clearButton);
}

QToolButton *LogView::toolButton(const QString &text, const QString &toolTip) {
    auto *button = new QToolButton(this);
    button->setText(text);
    button->setToolTip(toolTip);
    return button;
}

void LogView::connectToolbar(QToolButton *prev, QToolButton *next, QToolButton *save,
                             QToolButton *clearButton) {
    connect(m_pauseButton, &QToolButton::toggled, this, &LogView::setPaused);
    connect(m_searchEdit, &QLineEdit::textChanged, this, &LogView::setSearchText);
    connect(m_searchEdit, &QLineEdit::returnPressed, this, [this] { findNext(); });
    connect(next, &QToolButton::clicked, this, [this] { findNext(); });
    connect(prev, &QToolButton::clicked, this, [this] { findNext(true); });
    auto applyFilter = [this] {
        const QString error = setFilter(m_filterEdit->text(), m_filterMode->currentIndex() == 1);
        m_filterEdit->setStyleSheet(error.isEmpty() ? QString()
                                                    : QStringLiteral("background:#f9d6d5"));
        m_filterEdit->setToolTip(error);
    };
    connect(m_filterEdit, &QLineEdit::textChanged, this, applyFilter);
    connect(m_filterMode, &QComboBox::currentIndexChanged, this, applyFilter);
    connect(m_wrapBox, &QCheckBox::toggled, this, &LogView::setWrap);
    connect(m_timestampBox, &QCheckBox::toggled, this, &LogView::setShowTimestamps);
    connect(m_prefixBox, &QCheckBox::toggled, this, &LogView::setShowPrefix);
    connect(m_jsonBox, &QCheckBox::toggled, this, &LogView::setPrettyJson);
    connect(m_showAllButton, &QToolButton::clicked, this, [this] { setSourceFilter(QString()); });
    connect(save, &QToolButton::clicked, this, &LogView::saveWithDialog);
    connect(clearButton, &QToolButton::clicked, this, &LogView::clear);
}

void LogView::follow(const LogTarget &target) {
    stop();
    m_target = target;
    m_model->appendMarker(LogModel::Kind::Info, tr("— following %1 —").arg(target.describe()));
    m_model->setTimestamped(target.timestamps);
    m_stream = m_client->openLogStream(target, this);
    connectStream();
    m_stream->start();
    updateStatus(tr("connecting"));
}

void LogView::connectStream() {
    connect(m_stream, &LogStream::linesReceived, this, &LogView::onLines);
    LogMarkers::attach(
        m_stream, m_model, this, [this] { flush(); },
        [this](const QString &state) { updateStatus(state); });
}

void LogView::stop() {
    if (m_stream) {
        m_stream->stop();
        m_stream->deleteLater();
        m_stream = nullptr;
        flush();
        updateStatus(tr("stopped"));
    }
}

void LogView::onLines(const QStringList &lines, qint64 firstSeq, const QString &source) {
    m_receivedTotal += lines.size();
    m_receivedSinceTake += lines.size();
    m_backlog.add({lines, firstSeq, source});
}

qint64 LogView::takeReceivedCount() {
    const qint64 n = m_receivedSinceTake;
    m_receivedSinceTake = 0;
    return n;
}

void LogView::flush() {
    if (m_backlog.isEmpty())
        return;
    if (m_paused) {
        const qint64 held = m_backlog.hold();
        updatePauseLabel();
        Q_EMIT linesAppended(held);
        return;
    }
    // One append per run of contiguous lines: one insert signal per frame.
    qint64 appended = 0;
    for (LogBatch &batch : m_backlog.takeMerged()) {
        appended += batch.lines.size();
        appendNow(std::move(batch));
    }
    Q_EMIT linesAppended(appended);
    // Counting matches walks every line: while lines stream in, twice a second is enough.
    if (!m_searchEdit->text().isEmpty() &&
        (!m_recountClock.isValid() || m_recountClock.elapsed() >= 500)) {
        recountMatches();
        m_recountClock.start();
    }
    updateStatus();
}

void LogView::appendNow(LogBatch &&batch) {
    // Following the end: the scroll happens once, after this event-loop pass, and not per
    // batch. Scrolling lays out every row of the list (QListView relayouts on each insert);
    // done later it is one layout per paint, and a pass that appends many lines does not also
    // pay for the layout.
    // Scrolled up by the user: following waits, and the jump button counts what came.
    const bool atBottom = m_scrollToEnd.isActive() || m_jump->atBottom();
    const qint64 lines = batch.lines.size();
    m_model->appendLines(std::move(batch.lines), batch.firstSeq, batch.source);
    if (!atBottom)
        m_jump->addNewLines(lines);
    else if (!m_scrollToEnd.isActive())
        m_scrollToEnd.start();
}

void LogView::setPaused(bool paused) {
    if (paused == m_paused)
        return;
    if (m_pauseButton->isChecked() != paused)
        m_pauseButton->setChecked(paused);
    if (paused)
        flush(); // what arrived before the pause is shown
    m_paused = paused;
    m_pauseButton->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused) {
        if (const qint64 dropped = m_backlog.release(); dropped > 0)
            m_model->appendMarker(
                LogModel::Kind::Gap,
                tr("— %n line(s) dropped while paused (queue limit) —", nullptr, int(dropped)));
        flush();
        m_view->scrollToBottom();
    }
    updatePauseLabel();
}

void LogView::updatePauseLabel() {
    if (!m_paused) {
        m_pauseLabel->clear();
        return;
    }
    QString text = tr("paused: %1 queued").arg(m_backlog.heldLines());
    if (m_backlog.dropped() > 0)
        text += tr(", %1 dropped").arg(m_backlog.dropped());
    m_pauseLabel->setText(text);
}

void LogView::setCapacity(int lines) {
    m_model->setCapacity(lines);
    m_backlog.setLimit(lines);
}

QAbstractItemModel *LogView::shownModel() const {
    return m_proxy->isActive() ? static_cast<QAbstractItemModel *>(m_proxy) : m_model;
}

void LogView::setSearchText(const QString &text) {
    if (m_searchEdit->text() != text)
        m_searchEdit->setText(text); // comes back here through textChanged
    m_delegate->setHighlight(text);
    recountMatches();
    m_view->viewport()->update();
}

void LogView::recountMatches() {
    const QString text = m_searchEdit->text();
    m_matchCount = 0;
    if (!text.isEmpty()) {
        QAbstractItemModel *m = shownModel();
        const int rows = m->rowCount();
        for (int r = 0; r < rows; ++r)
            if (m->index(r, 0).data(Qt::DisplayRole).toString().contains(text, Qt::CaseInsensitive))
                ++m_matchCount;
    }
    m_matchLabel->setText(text.isEmpty() ? QString() : tr("%n match(es)", nullptr, m_matchCount));
}

bool LogView::findNext(bool backwards) {
    const QString text = m_searchEdit->text();
    QAbstractItemModel *m = shownModel();
    const int rows = m->rowCount();
    if (text.isEmpty() || rows == 0)
        return false;
    const QModelIndex current = m_view->currentIndex();
    int start = current.isValid() ? current.row() : (backwards ? rows : -1);
    for (int i = 1; i <= rows; ++i) {
        const int r = ((start + (backwards ? -i : i)) % rows + rows) % rows;
        const QModelIndex idx = m->index(r, 0);
        if (idx.data(Qt::DisplayRole).toString().contains(text, Qt::CaseInsensitive)) {
            m_view->setCurrentIndex(idx);
            m_view->scrollTo(idx, QAbstractItemView::PositionAtCenter);
            return true;
        }
    }
    return false;
}

QString LogView::setFilter(const QString &text, bool regex) {
    if (m_filterEdit->text() != text)
        m_filterEdit->setText(text);
    if (m_filterMode->currentIndex() != (regex ? 1 : 0))
        m_filterMode->setCurrentIndex(regex ? 1 : 0);
    const bool wasActive = m_proxy->isActive();
    const QString error =
        m_proxy->setFilter(text, regex ? LogFilterProxy::Mode::Regex : LogFilterProxy::Mode::Plain);
    if (error.isEmpty())
        showFilteredModel(wasActive);
    return error;
}

// The list shows the proxy only while a filter is on (the model directly is faster).
void LogView::showFilteredModel(bool wasActive) {
    if (wasActive != m_proxy->isActive()) {
        QItemSelectionModel *old = m_view->selectionModel();
        m_view->setModel(shownModel());
        delete old; // setModel() leaves the old selection model to its owner
        m_view->scrollToBottom();
    }
    recountMatches();
    updateStatus();
}

void LogView::setSourceFilter(const QString &source) {
    const bool wasActive = m_proxy->isActive();
    m_proxy->setSourceFilter(source);
    m_showAllButton->setEnabled(!source.isEmpty());
    m_showAllButton->setToolTip(source.isEmpty()
                                    ? tr("Show the lines of every source again")
                                    : tr("Only %1 is shown; show every source again").arg(source));
    showFilteredModel(wasActive);
}

QString LogView::sourceFilter() const {
    return m_proxy->sourceFilter();
}

QString LogView::prefixAt(const QPoint &pos) const {
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return QString();
    const int left = m_view->visualRect(index).left() + 4; // the delegate's margin
    const int width = m_delegate->prefixWidth(m_view->font(), index);
    if (width == 0 || pos.x() < left || pos.x() >= left + width)
        return QString();
    return index.data(LogModel::SourceRole).toString();
}

bool LogView::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_view->viewport() && event->type() == QEvent::MouseMove) {
        // A prefix is a link: the pointing hand says it can be clicked.
        const auto *mouse = static_cast<QMouseEvent *>(event);
        const bool onPrefix = !prefixAt(mouse->position().toPoint()).isEmpty();
        if (onPrefix != (m_view->viewport()->cursor().shape() == Qt::PointingHandCursor))
            m_view->viewport()->setCursor(onPrefix ? Qt::PointingHandCursor : Qt::ArrowCursor);
    }
    if (watched == m_view->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton) {
            const QString source = prefixAt(mouse->position().toPoint());
            if (!source.isEmpty()) {
                // Clicking the chosen source's prefix again shows every source.
                setSourceFilter(source == sourceFilter() ? QString() : source);
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LogView::setWrap(bool wrap) {
    if (m_wrapBox->isChecked() != wrap)
        m_wrapBox->setChecked(wrap);
    m_delegate->setWrap(wrap);
    m_delegate->setWrapWidth(m_view->viewport()->width());
    // Wrapped lines have different heights: uniform sizes only without wrapping. Wrapping
    // measures every line, so it is laid out in batches to keep the window responsive.
    m_view->setUniformItemSizes(!wrap && !m_jsonBox->isChecked());
    m_view->setLayoutMode(wrap ? QListView::Batched : QListView::SinglePass);
    m_view->setBatchSize(2000);
    m_view->setWordWrap(wrap);
    m_view->setHorizontalScrollBarPolicy(wrap ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    m_view->doItemsLayout();
}

void LogView::resizeEvent(QResizeEvent *event) {
    QWidget::resizeEvent(event);
    if (m_wrapBox->isChecked())
        m_delegate->setWrapWidth(m_view->viewport()->width()); // wrapped heights follow the width
}

void LogView::setShowTimestamps(bool show) {
    if (m_timestampBox->isChecked() != show)
        m_timestampBox->setChecked(show);
    m_model->setShowTimestamps(show);
}

void LogView::setShowPrefix(bool show) {
    if (m_prefixBox->isChecked() != show)
        m_prefixBox->setChecked(show);
    m_delegate->setShowPrefix(show);
    m_view->doItemsLayout(); // the rows' widths change
}

void LogView::setPrettyJson(bool pretty) {
    if (m_jsonBox->isChecked() != pretty)
        m_jsonBox->setChecked(pretty);
    m_model->setPrettyJson(pretty);
    // Indented JSON rows are taller than the others.
    m_view->setUniformItemSizes(!pretty && !m_wrapBox->isChecked());
    m_view->doItemsLayout();
}

QString LogView::suggestedFileName(const QDateTime &when) const {
    return LogFileName::suggest(m_target, when);
}

bool LogView::saveTo(const QString &path, QString *error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QAbstractItemModel *m = shownModel();
    const int rows = m->rowCount();
    for (int r = 0; r < rows; ++r)
        file.write(m->index(r, 0).data(LogModel::RawTextRole).toString().toUtf8() + '\n');
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void LogView::saveWithDialog() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save log"), suggestedFileName(QDateTime::currentDateTimeUtc()),
        tr("Log files (*.log *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error))
        QMessageBox::warning(this, tr("Save log"), tr("Could not save %1: %2").arg(path, error));
}

void LogView::clear() {
    m_model->clear();
    recountMatches();
    updateStatus();
}

void LogView::focusSearch() {
    m_searchEdit->setFocus();
    m_searchEdit->selectAll();
}

void LogView::updateStatus(const QString &streamState) {
    if (!streamState.isEmpty())
        m_streamState = streamState;
    const QString target = m_stream ? m_stream->target().describe() : tr("nothing");
    QString text = tr("%1 — %2 — %3 lines shown, %4 received")
                       .arg(target, m_streamState.isEmpty() ? tr("idle") : m_streamState)
                       .arg(shownModel()->rowCount())
                       .arg(m_receivedTotal);
    if (m_model->droppedByRing() > 0)
        text += tr(", %1 oldest dropped (limit %2)")
                    .arg(m_model->droppedByRing())
                    .arg(m_model->capacity());
    m_statusLabel->setText(text);
    Q_EMIT statusChanged(text);
}

} // namespace pw::ui
