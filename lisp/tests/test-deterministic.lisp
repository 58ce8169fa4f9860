;;;; test-deterministic.lisp: deterministic recordings (loaded by test-agent.lisp, whose
;;;; harness and helpers it uses).

(in-package #:sbcl-profiler-agent-tests)

;;; A workload with small hot functions, the case where sb-profile's overhead dwarfs the
;;; functions' own time.
(declaim (notinline dt-leaf dt-mid dt-cons dt-fib))
(defun dt-leaf (x) (logand (* x 7) 255))
(defun dt-mid (n) (let ((sum 0)) (dotimes (i n sum) (incf sum (dt-leaf i)))))
(defun dt-cons (n) (length (make-list n)))
(defun dt-fib (n) (if (< n 2) n (+ (dt-fib (- n 1)) (dt-fib (- n 2)))))
(defun dt-top () (+ (dt-mid 100000) (dt-cons 100000) (dt-fib 15)))

(defparameter *dt-names*
  (mapcar #'printed-name '(dt-leaf dt-mid dt-cons dt-fib dt-top)))

(defun record-deterministically (thunk &key report)
  "Records THUNK with every dt- function instrumented; returns the stop reply's result and,
with REPORT, the text of sb-profile:report taken just before the stop, on the same counters."
  (let ((start (answer "start-recording" "mode" "deterministic" "names" *dt-names*)))
    (check (eq (jget start "ok") :true) "started: ~S" start)
    (funcall thunk)
    (let ((text (and report (with-output-to-string (*trace-output*)
                              ;; names printed as the agent prints them
                              (let ((*package* (find-package "SBCL-PROFILER-NAMES")))
                                (sb-profile:report))))))
      (values (jget (answer "stop-recording") "result") text))))

(defun report-seconds (text name)
  "The seconds and calls of NAME in sb-profile:report's table TEXT."
  (with-input-from-string (in text)
    (loop for line = (read-line in nil)
          while line
          do (let ((parts (loop with start = 0
                                  for bar = (position #\| line :start start)
                                  collect (string-trim " " (subseq line start bar))
                                  while bar
                                  do (setf start (1+ bar)))))
                 (when (and (= (length parts) 6) (string= (sixth parts) name))
                   (return (values (let ((*read-default-float-format* 'double-float))
                                     (read-from-string (first parts)))
                                   (parse-integer (remove #\, (fourth parts))))))))))

(defun function-named (result name)
  (find name (jget result "functions") :key (lambda (f) (jget f "name")) :test #'string=))

(deftest deterministic-seconds-agree-with-sb-profile-report
  (multiple-value-bind (result text) (record-deterministically (lambda () (dt-top)) :report t)
    (dolist (name *dt-names*)
      (let ((total (jget (function-named result name) "total")))
        (multiple-value-bind (seconds calls) (report-seconds text name)
          (check seconds "~A is in sb-profile's report:~%~A" name text)
          (check (= calls (jget total "calls")) "~A: ~D calls, the report says ~D"
                 name (jget total "calls") calls)
          (check (<= (abs (- (jget total "seconds") seconds)) (max 0.005d0 (* 0.1d0 seconds)))
                 "~A: ~F s corrected, sb-profile:report says ~F s" name (jget total "seconds") seconds)
          (check (>= (jget total "raw_seconds") (jget total "seconds"))
                 "~A: raw ~F s is below corrected ~F s" name (jget total "raw_seconds")
                 (jget total "seconds")))))
    (let ((overhead (jget result "overhead")))
      (check (and (plusp (jget overhead "call")) (plusp (jget overhead "nested")))
             "the calibration: ~S" overhead))))

(deftest deterministic-calibration-lasts-as-long-as-the-recording
  (let ((before (boundp 'sb-profile::*overhead*)))
    (record-deterministically (lambda () (dt-top)))
    (check (eq (boundp 'sb-profile::*overhead*) before) "sb-profile::*overhead* is restored")))

(defun decode-paths (result)
  "The paths of a recording as a vector of (parent function calls nanoseconds), parent an
index into the vector or NIL."
  (let ((numbers (decode-numbers (jget result "paths")))
        (paths '()))
    (loop while numbers
          do (let ((parent (pop numbers)))
               (push (list (if (zerop parent) nil (1- parent)) (pop numbers) (pop numbers)
                           (pop numbers))
                     paths)))
    (let ((paths (coerce (nreverse paths) 'vector)))
      (check (= (length paths) (jget result "path_count")) "~D paths, path_count ~D"
             (length paths) (jget result "path_count"))
      (loop for (parent) across paths
            for i from 0
            do (check (or (null parent) (< parent i)) "path ~D: parent ~S is not before it"
                      i parent))
      paths)))

(deftest deterministic-paths-count-every-call
  (let* ((result (record-deterministically (lambda () (dt-top))))
         (functions (jget result "functions"))
         (paths (decode-paths result))
         (top (position (printed-name 'dt-top) functions :key (lambda (f) (jget f "name"))
                        :test #'string=))
         (fib (position (printed-name 'dt-fib) functions :key (lambda (f) (jget f "name"))
                        :test #'string=)))
    ;; the calls of every function are the calls of its paths
    (loop for function in functions
          for id from 0
          do (check (= (jget (jget function "total") "calls")
                       (loop for (nil f calls) across paths when (= f id) sum calls))
                    "~A: calls ~D, its paths ~S" (jget function "name")
                    (jget (jget function "total") "calls")
                    (remove id paths :key #'second :test-not #'=)))
    ;; one root, DT-TOP; fib(15) under it is called 1, 2, 4, … times on its first levels
    (check (equal (remove nil (coerce paths 'list) :key #'first :test-not #'eq)
                  (list (list nil top 1 (fourth (aref paths 0)))))
           "the only root is DT-TOP: ~S" paths)
    (let ((chain (loop for parent = 0 then node
                       for node = (position-if (lambda (p) (and (eql (first p) parent)
                                                                (= (second p) fib)))
                                               paths)
                       while node
                       collect (third (aref paths node)))))
      (check (= (length chain) 15) "fib(15) recurses 15 levels deep: ~S" chain)
      (check (equal (subseq chain 0 4) '(1 2 4 8)) "edge counts ~S" chain))))

(deftest deterministic-wrappers-cons-nothing
  (let* ((result (record-deterministically (lambda () (dt-top))))
         (mid (jget (function-named result (printed-name 'dt-mid)) "total"))
         (conser (jget (function-named result (printed-name 'dt-cons)) "total")))
    ;; 100 000 profiled calls of DT-LEAF from DT-MID: any consing of the wrappers would be
    ;; charged to DT-MID
    (check (zerop (jget mid "bytes")) "DT-MID conses ~D bytes" (jget mid "bytes"))
    ;; sb-profile sees consing by the allocation region: 1.6 MB spans many
    (check (>= (jget conser "bytes") (* 100000 15)) "DT-CONS conses ~D bytes" (jget conser "bytes"))))

;;; Names that print alike

(defun dt-closures ()
  "Three distinct functions named (LAMBDA (START-POS) :IN DT-CLOSURES)."
  (list (lambda (start-pos) (dotimes (i 20000 start-pos) (setf start-pos (logand (+ start-pos i) 65535))))
        (lambda (start-pos) (dotimes (i 20000 start-pos) (setf start-pos (logand (* start-pos 3) 65535))))
        (lambda (start-pos) (dotimes (i 20000 start-pos) (setf start-pos (logand (- start-pos i) 65535))))))

(deftest functions-that-print-alike-stay-apart
  (let ((closures (dt-closures))
        (start (answer "start-recording" "mode" "cpu" "interval" 0.001d0)))
    (check (eq (jget start "ok") :true) "started: ~S" start)
    (let ((end (+ (get-internal-real-time) (* 0.4 internal-time-units-per-second))))
      (loop while (< (get-internal-real-time) end)
            do (dolist (closure closures) (funcall closure 1))))
    (let* ((frames (coerce (recorded-frames (jget (answer "stop-recording") "result")) 'list))
           (alike (remove (printed-name '(lambda (start-pos) :in dt-closures)) frames
                          :key (lambda (f) (jget f "name")) :test-not #'string=)))
      (check (= (length alike) 3) "three frames: ~S" alike)
      (check (= (count nil alike :key (lambda (f) (jget f "variant"))) 1)
             "the second and later carry a variant: ~S" alike)
      (check (= (length (remove-duplicates (mapcar (lambda (f) (jget f "variant")) alike)
                                           :test #'equal))
                3)
             "distinct variants: ~S" alike))))

;;; The workload's compilation

(deftest a-kept-workload-serves-the-next-run-only
  (let* ((package (find-package "CL-USER"))
         (kept (sbcl-profiler-agent::compile-workload "(+ 1 2)" package :keep t))
         (next (sbcl-profiler-agent::compile-workload "(+ 1 2)" package))
         (later (sbcl-profiler-agent::compile-workload "(+ 1 2)" package)))
    (check (eq kept next) "the run after a kept compilation uses it")
    (check (not (eq next later)) "a later run compiles afresh")
    (check (= (funcall later) 3) "and runs")))
