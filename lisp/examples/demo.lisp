;;;; demo.lisp: a workload with several distinct hot spots, for trying the profiler.
;;;;
;;;;   sbcl-profiler record --load lisp/examples/demo.lisp --eval '(demo:run)' -o demo.sbclprof
;;;;
;;;; (demo:run) takes one to two seconds; (demo:run 0.01) a hundredth of that.  Where the time goes, roughly: FIB (recursion) the
;;;; most, then BUILD-LISTS (consing), COUNT-WORDS (hash tables), MAKE-REPORT (strings),
;;;; TOTAL-AREA (CLOS dispatch), CLOSURE-WORK (closures), and BACKGROUND-SUM in a worker thread.

(defpackage #:demo
  (:use #:common-lisp)
  (:export #:run #:fib #:build-lists #:count-words #:make-report #:total-area
           #:closure-work #:background-sum))

(in-package #:demo)

;;; Recursion

(defun fib (n)
  (if (< n 2)
      n
      (+ (fib (- n 1)) (fib (- n 2)))))

;;; Consing

(defun build-lists (rounds)
  "Makes and drops lists of fresh conses and boxed floats."
  (let ((total 0))
    (dotimes (i rounds total)
      (let ((list (loop for j below 2000 collect (list j (* 1.5d0 j)))))
        (incf total (length (reverse list)))))))

;;; Hash tables

(defun count-words (words rounds)
  (let ((table (make-hash-table :test 'equal)))
    (dotimes (i rounds)
      (dolist (word words)
        (incf (gethash word table 0))))
    (hash-table-count table)))

(defun word-list (n)
  (loop for i below n collect (format nil "word~D" (mod (* i 7919) 1000))))

;;; Strings

(defun make-report (rows)
  (let ((out (make-string-output-stream)))
    (dotimes (i rows)
      (write-string (string-upcase (format nil "row ~D: ~A~%" i (make-string 20 :initial-element #\x)))
                    out))
    (length (get-output-stream-string out))))

;;; CLOS dispatch

(defclass shape () ())
(defclass circle (shape) ((radius :initarg :radius :reader radius)))
(defclass rectangle (shape) ((width :initarg :width :reader width)
                             (height :initarg :height :reader height)))

(defgeneric area (shape))
(defmethod area ((shape circle)) (* pi (radius shape) (radius shape)))
(defmethod area ((shape rectangle)) (* (width shape) (height shape)))

(defun total-area (shapes rounds)
  (let ((sum 0))
    (dotimes (i rounds sum)
      (dolist (shape shapes)
        (incf sum (area shape))))))

(defun make-shapes (n)
  (loop for i below n
        collect (if (evenp i)
                    (make-instance 'circle :radius (float i 1d0))
                    (make-instance 'rectangle :width i :height (1+ i)))))

;;; Closures

(defun make-adder (n)
  (lambda (x) (+ x n)))

(defun closure-work (rounds)
  (let ((adders (loop for i below 50 collect (make-adder i)))
        (sum 0))
    (dotimes (i rounds sum)
      (dolist (adder adders)
        (setf sum (mod (funcall adder sum) 1000003))))))

;;; A worker thread

(defun background-sum (n)
  (let ((sum 0))
    (dotimes (i n sum)
      (setf sum (mod (+ sum (* i i)) 1000000007)))))

(defun scaled (n scale)
  (max 1 (round (* n scale))))

(defun run (&optional (scale 1))
  "The whole workload; returns a list of its results.  SCALE multiplies the work of every part
(FIB by changing its argument: its cost grows by the golden ratio per step)."
  (let* ((fib-n (max 1 (round (+ 37 (log scale (/ (+ 1 (sqrt 5d0)) 2))))))
         (thread (sb-thread:make-thread (lambda () (background-sum (scaled 20000000 scale)))
                                        :name "demo background"))
         (results (list (fib fib-n)
                        (build-lists (scaled 3000 scale))
                        (count-words (word-list 2000) (scaled 800 scale))
                        (make-report (scaled 150000 scale))
                        (total-area (make-shapes 100) (scaled 20000 scale))
                        (closure-work (scaled 120000 scale)))))
    (append results (list (sb-thread:join-thread thread)))))
