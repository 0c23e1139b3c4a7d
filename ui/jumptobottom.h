#pragma once

#include <QToolButton>

class QAbstractItemView;

namespace pw::ui {

// The floating "↓ N new lines" button of a log view: shown while the user has scrolled away
// from the end and lines keep coming (following is paused meanwhile); a click scrolls to the
// end, which resumes following. Sits at the bottom right of the view, over its rows.
class JumpToBottom : public QToolButton {
    Q_OBJECT
public:
    explicit JumpToBottom(QAbstractItemView *view);

    // Whether the view shows its last row (following the end).
    bool atBottom() const;
    // `lines` came while the view was away from the end.
    void addNewLines(qint64 lines);
    qint64 newLines() const { return m_newLines; }
    void jump();
    void reset();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();

    QAbstractItemView *m_view;
    qint64 m_newLines = 0;
};

} // namespace pw::ui
