// The kiosk's on-screen keyboard: Qt Virtual Keyboard (pinyin + English) docked in the window.
// Hosted by ui/widgets/keyboard.py in a QQuickWidget; the helper functions let Python drive
// the input engine (tests, demos) and read the pinyin candidates.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    // Height the keyboard needs at the current width (the host widget follows it).
    property int panelHeight: inputPanel.height
    // The word-candidate bar is all out (it slides in; none for Latin-only or digit fields).
    property bool candidateBarShown: inputPanel.keyboard.wordCandidateView.height > 0
        && inputPanel.keyboard.wordCandidateView.y <= -inputPanel.keyboard.wordCandidateView.height
    // Where the keys end, in this item: the host checks it lies inside the view.
    property real keysBottom: inputPanel.y + inputPanel.height
    property bool inputActive: inputPanel.active
    property string currentLocale: InputContext.locale
    property var wantedLocales: ["zh_CN", "en_GB"]
    property string wantedLocale: "zh_CN"

    // Anchored to the TOP, not the bottom: the host sizes this item from panelHeight,
    // but QQuickWidget can leave the root item's height stale while it is being laid
    // out (seen: 0 on the first show, which put the whole keyboard above the view, a
    // black area whose taps did nothing; 750 in a 393 px view, which cut off the
    // bottom rows). From the top the keys are inside the view whatever that height is.
    InputPanel {
        id: inputPanel
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
    }

    function applyLocales() {
        VirtualKeyboardSettings.activeLocales = wantedLocales
        VirtualKeyboardSettings.locale = wantedLocale
    }

    // The word-candidate (pinyin) bar keeps its room, empty or not, while the field can
    // show candidates (the host says so per field): appearing with the first pinyin key
    // it grew the keyboard by its height, which moved the keys and the page under the
    // finger and, where the page could not give the room, cut the bottom key row.
    function setCandidateBarReserved(on) {
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = on
    }

    function setLocale(name) {
        wantedLocale = name
        VirtualKeyboardSettings.locale = name
    }

    // Press keys as a finger would: letters go to the pinyin engine, others as typed.
    function typeText(text) {
        for (var i = 0; i < text.length; i++) {
            var ch = text.charAt(i)
            var up = ch.toUpperCase()
            var key = (up >= "A" && up <= "Z") ? Qt.Key_A + (up.charCodeAt(0) - 65)
                                               : ch.charCodeAt(0)
            InputContext.inputEngine.virtualKeyClick(key, ch, 0)
        }
    }

    function pressBackspace() {
        InputContext.inputEngine.virtualKeyClick(Qt.Key_Backspace, "", 0)
    }

    function candidates() {
        var model = InputContext.inputEngine.wordCandidateListModel
        var out = []
        if (!model)
            return out
        for (var i = 0; i < model.count; i++)
            out.push(model.dataAt(i, SelectionListModel.Role.Display))
        return out
    }

    function selectCandidate(index) {
        var model = InputContext.inputEngine.wordCandidateListModel
        if (model && index >= 0 && index < model.count)
            model.selectItem(index)
    }

    // Centre of a key, in this item: "hide", "enter", "shift", else the key's text
    // ("d", "&123"). {x: -1, y: -1} when no visible key matches.
    function keyCenter(name) {
        var found = findKey(inputPanel.keyboard, name)
        if (!found)
            return {x: -1, y: -1}
        var p = found.mapToItem(root, found.width / 2, found.height / 2)
        return {x: p.x, y: p.y}
    }

    function findKey(item, name) {
        if (!item || !item.visible)
            return null
        if (item.keyType !== undefined && item.width > 0 && item.height > 0) {
            if (name === "hide" ? item.keyType === QtVirtualKeyboard.KeyType.HideKeyboardKey
                : name === "enter" ? item.keyType === QtVirtualKeyboard.KeyType.EnterKey
                : name === "shift" ? item.keyType === QtVirtualKeyboard.KeyType.ShiftKey
                : (item.displayText === name || item.text === name))
                return item
        }
        var kids = item.children
        for (var i = 0; i < kids.length; i++) {
            var hit = findKey(kids[i], name)
            if (hit)
                return hit
        }
        return null
    }

    function preeditText() {
        return InputContext.preeditText
    }

    Component.onCompleted: applyLocales()
}
