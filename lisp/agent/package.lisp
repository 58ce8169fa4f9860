;;;; package.lisp: the agent's package.  The agent uses nothing but SBCL and its contribs, so
;;;; it never clashes with the libraries of the program it is loaded into.

(defpackage #:sbcl-profiler-agent
  (:use #:common-lisp)
  (:export #:main
           #:+protocol-version+
           ;; JSON
           #:read-json #:parse-json #:write-json #:json-string #:jget
           ;; requests, for tests that call them in-process
           #:handle-message #:printed-name #:frame-name
           #:harvest-statistical #:deterministic-figures))

(in-package #:sbcl-profiler-agent)

(defconstant +protocol-version+ 1)
