"""Where the keyboard focus is, and whether a sighted keyboard user can see it."""

FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: typeof el.className === 'string' ? el.className : '',
    text: (el.innerText || el.value || '').trim().slice(0, 40),
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== 'none',
    inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth,
    inMain: !!el.closest('main'),
  };
}"""


def focus_state(page):
    return page.evaluate(FOCUS_STATE)


FOCUS_IN_VIEWPORT = """() => {
  const box = document.activeElement.getBoundingClientRect();
  return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
}"""


def wait_until_focus_in_viewport(page):
    # The site turns off Bootstrap's smooth scrolling (site.css), so a focused element is in view at once;
    # polled a little from here all the same (pages without JavaScript run no wait_for_function), as a
    # loaded 2-core machine may lag a frame behind the key press.
    for _ in range(60):
        if page.evaluate(FOCUS_IN_VIEWPORT):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the focused element stays off screen: {focus_state(page)}")


def assert_focus_visible(page):
    state = focus_state(page)
    if not state["inViewport"]:
        wait_until_focus_in_viewport(page)
        state = focus_state(page)
    assert state["tag"] != "body", "focus was lost"
    assert state["focusVisible"] and (state["outline"] or state["shadow"]), f"focus is not visible: {state}"
    assert state["inViewport"], f"the focused element is off screen: {state}"
    return state
