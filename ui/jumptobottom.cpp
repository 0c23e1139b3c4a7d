#include "jumptobottom.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QScrollBar>

namespace pw::ui {

namespace {
constexpr int kSlack = 2; // scroll steps from the end that still count as "at the end"
constexpr int kMargin = 12;
} // namespace

JumpToBottom::JumpToBottom(QAbstractItemView *view)
    : QToolButton(view)
    , m_view(view) {
    setObjectName(QStringLiteral("jumpToBottom"));
    setToolTip(tr("Scroll to the end and follow new lines again"));
    setCursor(Qt::PointingHandCursor);
    setAutoRaise(false);
    hide();
    connect(this, &QToolButton::clicked, this, &JumpToBottom::jump);
    // Scrolling back to the end by hand is the same as clicking.
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        if (atBottom())
            reset();
    });
    view->installEventFilter(this);
}

bool JumpToBottom::atBottom() const {
    const QScrollBar *bar = m_view->verticalScrollBar();
    return bar->value() >= bar->maximum() - kSlack;
}

void JumpToBottom::addNewLines(qint64 lines) {
    if (lines <= 0)
        return;
    m_newLines += lines;
    setText(m_newLines == 1 ? tr("↓ 1 new line") : tr("↓ %1 new lines").arg(m_newLines));
    adjustSize();
    place();
    show();
    raise();
}

void JumpToBottom::jump() {
    m_view->scrollToBottom();
    reset();
}

void JumpToBottom::reset() {
    m_newLines = 0;
    hide();
}

bool JumpToBottom::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_view && event->type() == QEvent::Resize)
        place();
    return QToolButton::eventFilter(watched, event);
}

void JumpToBottom::place() {
    const QRect area = m_view->viewport()->geometry();
    move(area.right() - width() - kMargin, area.bottom() - height() - kMargin);
}

} // namespace pw::ui
