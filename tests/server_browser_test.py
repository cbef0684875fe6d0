#!/usr/bin/python3
"""End-to-end test of bisearch-serve's search page in headless Chromium (Debian's chromium,
chromium-driver and python3-selenium; never a browser download).

It indexes a small bilingual set (the project's corpus, dated Korean and English reports in two
folders, and a hostile document), starts the server on an ephemeral loopback port, and in the
browser: types a Korean and an English query, checks highlighted passages and their aligned
translation, applies a language facet and a date range, pages, opens the term-lookup panel, copies
the page's link and follows it, uses the keyboard, and proves that the hostile document's markup
(<script>, <img onerror>, javascript: links) is shown as text and runs nothing.

Usage: server_browser_test.py --serve BIN --index BIN --corpus DIR [--screenshots DIR]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

EN = [
    "The alliance reviewed extended deterrence and the nuclear planning talks in {y}.",
    "Deterrence exercises were held with allied forces near the peninsula.",
    "Officials discussed deterrence, missile defense and crisis consultations.",
]
KO = [
    "{y}년 한미 양국은 확장억제 강화 방안을 협의하였다.",
    "확장억제 실행력을 높이기 위한 연합훈련이 실시되었다.",
    "국방장관 회의에서 확장억제와 미사일 방어를 논의하였다.",
]
HOSTILE = (
    "title: <img src=x onerror=\"document.title='pwned'\"> Hostile memo\n"
    "date: 2022-05-05\n"
    "source_url: javascript:document.title='pwned'\n---\n"
    "Deterrence memo <script>document.title='pwned'</script> with <img src=x onerror=\"document.title='pwned'\"> "
    "and <a href=\"javascript:document.title='pwned'\">a link</a> and [md link](javascript:alert(1)).\n"
)


def write_documents(root, corpus):
    shutil.copytree(corpus, os.path.join(root, "corpus"))
    for i in range(14):
        year = 2019 + i % 6
        for lang, lines in (("en", EN), ("ko", KO)):
            folder = os.path.join(root, lang)
            os.makedirs(folder, exist_ok=True)
            title = ("Report " if lang == "en" else "보고서 ") + str(i)
            body = "\n\n".join(line.format(y=year) for line in lines)
            with open(os.path.join(folder, f"report-{i:02d}.md"), "w", encoding="utf-8") as f:
                f.write(f"title: {title}\ndate: {year}-{1 + i % 12:02d}-15\n---\n{body}\n")
    with open(os.path.join(root, "en", "hostile.md"), "w", encoding="utf-8") as f:
        f.write(HOSTILE)


def start_server(serve, db):
    proc = subprocess.Popen([serve, "--db", db, "--listen", "127.0.0.1:0", "--threads", "2"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"bisearch-serve did not start: {line!r}")
    return proc, int(m.group(1))


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=ko-KR", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Page:
    def __init__(self, driver, base):
        self.d = driver
        self.base = base

    def wait(self, cond, what, timeout=10):
        try:
            return WebDriverWait(self.d, timeout).until(lambda d: cond())
        except TimeoutException:
            raise AssertionError(f"timed out waiting for {what}; url {self.d.current_url}")

    def loaded_after(self, action):
        """Runs action and waits until the page has rendered a new answer."""
        before = self.d.execute_script("return document.body.dataset.loaded || '0'")
        action()
        self.wait(lambda: self.d.execute_script("return document.body.dataset.loaded || '0'") != before,
                  "the results to render")

    def hits(self):
        return self.d.find_elements(By.CSS_SELECTOR, "#results li.hit")

    def params(self):
        return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.d.current_url).query))

    def search(self, text):
        box = self.d.find_element(By.ID, "q")
        box.clear()
        box.send_keys(text)
        self.loaded_after(lambda: box.send_keys(Keys.ENTER))

    def no_script_ran(self):
        assert self.d.title != "pwned", "a document's markup ran"
        try:
            alert = self.d.switch_to.alert
            raise AssertionError(f"an alert opened: {alert.text}")
        except NoAlertPresentException:
            pass


def press(driver, key):
    """A key pressed with the focus on the page, not in a box."""
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).send_keys(key).perform()


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def run(args, tmp):
    docs = os.path.join(tmp, "docs")
    os.makedirs(docs)
    write_documents(docs, args.corpus)
    db = os.path.join(tmp, "idx")
    r = subprocess.run([args.index, "--db", db, docs], capture_output=True, text=True)
    check(r.returncode == 0, f"bisearch-index failed: {r.stderr}")
    server, port = start_server(args.serve, db)
    driver = None
    try:
        driver = browser(os.path.join(tmp, "profile"))
        p = Page(driver, f"http://127.0.0.1:{port}/")
        driver.get(p.base)
        p.wait(lambda: driver.switch_to.active_element.get_attribute("id") == "q", "the query box to have focus")

        # Korean query: highlighted passages with the aligned translation beside them.
        p.search("확장억제")
        hits = p.hits()
        check(len(hits) == 10, f"a first page of 10 hits, got {len(hits)}")
        marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#results .passage mark")]
        check(marks and all("억제" in m for m in marks if re.search("[가-힣]", m)), f"Korean highlights: {marks[:5]}")
        counterparts = driver.find_elements(By.CSS_SELECTOR, "#results .counterpart")
        check(any(re.search(r"[A-Za-z]{4}", c.text) for c in counterparts), "an English translation beside a Korean hit")
        check(p.params().get("q") == "확장억제", f"the query in the URL: {driver.current_url}")
        if args.screenshots:
            driver.save_screenshot(os.path.join(args.screenshots, "server-ko.png"))

        # A facet: Korean passages only.
        button = driver.find_element(By.CSS_SELECTOR, "ul[data-facet=lang] button[data-value=ko]")
        p.loaded_after(button.click)
        check(p.params().get("lang") == "ko", "lang=ko in the URL")
        check(all(h.get_attribute("data-lang") == "ko" for h in p.hits()), "only Korean hits after the facet")
        years = driver.find_elements(By.CSS_SELECTOR, "ul[data-facet=year] button")
        check(len(years) >= 5, f"year facet values: {[y.text for y in years]}")

        # A date range.
        for field, value in (("since", "2021-01-01"), ("until", "2022-12-31")):
            box = driver.find_element(By.ID, field)
            box.clear()
            box.send_keys(value)
        p.loaded_after(lambda: driver.find_element(By.ID, "go").click())
        dates = [h.get_attribute("data-date") for h in p.hits()]
        check(dates and all("2021-01-01" <= d <= "2022-12-31" for d in dates), f"dates within the range: {dates}")
        check(p.params().get("since") == "2021-01-01" and p.params().get("lang") == "ko", "range and facet kept")
        removes = driver.find_elements(By.CSS_SELECTOR, "#filters button")
        check(len(removes) == 3, f"three active filters shown: {[b.text for b in removes]}")

        # English query (the filters are removed first), then the next page.
        for key in ("since", "until", "lang"):
            p.loaded_after(lambda: driver.find_element(By.CSS_SELECTOR, f"#filters button[data-filter={key}]").click())
        p.search("deterrence")
        first_page = [h.find_element(By.TAG_NAME, "h3").text + h.find_element(By.CSS_SELECTOR, ".meta").text
                      for h in p.hits()]
        check(len(first_page) == 10, "a full first English page")
        if args.screenshots:
            driver.save_screenshot(os.path.join(args.screenshots, "server-en.png"))
        p.loaded_after(lambda: driver.find_element(By.ID, "next").click())
        check(p.params().get("offset") == "10", "offset=10 in the URL")
        second_page = [h.find_element(By.TAG_NAME, "h3").text + h.find_element(By.CSS_SELECTOR, ".meta").text
                       for h in p.hits()]
        check(second_page and not set(second_page) & set(first_page), "page 2 differs from page 1")
        check(driver.find_element(By.ID, "message").text.startswith("11–"), "the message counts from 11")

        # The hostile document is on these pages: its markup is text and nothing ran.
        p.search("memo")
        hostile = [h for h in p.hits() if "Hostile memo" in h.text]
        check(len(hostile) == 1, "the hostile document is found")
        check("<script>" in hostile[0].text and "onerror" in hostile[0].text, "its markup shown as text")
        check(not driver.find_elements(By.CSS_SELECTOR, "#results img, #results script, #results iframe"),
              "no element made from document text")
        hrefs = [a.get_attribute("href") or "" for a in driver.find_elements(By.CSS_SELECTOR, "#results a")]
        check(not any(h.lower().startswith("javascript:") for h in hrefs), f"no javascript: link: {hrefs}")
        hostile[0].find_element(By.CSS_SELECTOR, "a.doc-link").click()  # the document view, passage by passage
        p.wait(lambda: "<script>" in driver.find_element(By.ID, "doc-passages").text, "the hostile document's text")
        check(not driver.find_elements(By.CSS_SELECTOR, "#document img, #document script"), "no element in the view")
        time.sleep(0.5)
        p.no_script_ran()

        # The term-lookup panel, by keyboard ("t" with the focus outside the boxes).
        p.search("핵협의그룹")
        press(driver, "t")
        p.wait(lambda: driver.find_element(By.ID, "terms").is_displayed(), "the term panel")
        p.wait(lambda: "NCG" in driver.find_element(By.ID, "translations").text, "NCG among the translations")
        check(p.params().get("term") == "핵협의그룹", "the panel's term in the URL")

        # Copy the link and follow it in a fresh page: the same state.
        driver.find_element(By.ID, "copy-link").click()
        link = driver.find_element(By.ID, "link").get_attribute("value")
        check(link == driver.current_url, "the copied link is the page's address")
        shown = [h.text for h in p.hits()]
        driver.get("about:blank")
        driver.get(link)
        p.wait(lambda: len(p.hits()) == len(shown) and [h.text for h in p.hits()] == shown, "the same results")
        p.wait(lambda: "NCG" in driver.find_element(By.ID, "translations").text, "the term panel again")
        check(driver.find_element(By.ID, "q").get_attribute("value") == "핵협의그룹", "the query box restored")

        # Keyboard: Escape closes the panel, "/" focuses the query box.
        press(driver, Keys.ESCAPE)
        p.wait(lambda: not driver.find_element(By.ID, "terms").is_displayed(), "the panel to close")
        press(driver, "/")
        check(driver.switch_to.active_element.get_attribute("id") == "q", "/ focuses the query box")

        # A bad parameter in a hand-made link is reported, not a broken page.
        driver.get(p.base + "?q=deterrence&since=yesterday")
        p.wait(lambda: "since" in driver.find_element(By.ID, "message").text, "the error message")
        p.no_script_ran()
        print("server_browser_test: all checks passed")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        check(server.returncode == 0, f"bisearch-serve exited {server.returncode} after SIGTERM")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--screenshots", help="write server-ko.png and server-en.png here")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bisearch-browser-") as tmp:
        try:
            run(args, tmp)
        except AssertionError as e:
            print(f"server_browser_test: FAILED: {e}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
