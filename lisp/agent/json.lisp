;;;; json.lisp: a small JSON reader and writer (RFC 8259).
;;;;
;;;; Objects read as alists of (string . value), arrays as lists, true/false/null as :true,
;;;; :false and :null.  Writing takes the same shapes, plus vectors as arrays, T as true, NIL as
;;;; an empty list, keywords as strings.

(in-package #:sbcl-profiler-agent)

(define-condition json-error (error)
  ((message :initarg :message :reader json-error-message))
  (:report (lambda (c stream) (write-string (json-error-message c) stream))))

(defun json-fail (format &rest args)
  (error 'json-error :message (apply #'format nil format args)))

;;; Names travel as text

(defun printed-name (object)
  "OBJECT printed the way profiles name it: prin1, not pretty, package-qualified."
  (with-standard-io-syntax
    (let ((*package* (load-time-value (find-package "SBCL-PROFILER-NAMES")))
          (*print-pretty* nil)
          (*print-readably* nil)
          (*print-length* nil)
          (*print-level* nil))
      (prin1-to-string object))))

;;; Reading

(defun skip-whitespace (string pos)
  (loop while (and (< pos (length string))
                   (member (char string pos) '(#\Space #\Tab #\Newline #\Return)))
        do (incf pos))
  pos)

(defun parse-json (string)
  "Parses one JSON value that makes up all of STRING."
  (multiple-value-bind (value pos) (read-value string (skip-whitespace string 0))
    (let ((end (skip-whitespace string pos)))
      (unless (= end (length string))
        (json-fail "unexpected text after the JSON value at offset ~D" end))
      value)))

(defun read-json (stream)
  "Reads one line of STREAM as a JSON value; NIL at end of file."
  (let ((line (read-line stream nil nil)))
    (and line (parse-json line))))

(defun peek-char-at (string pos)
  (if (< pos (length string))
      (char string pos)
      (json-fail "unexpected end of JSON text")))

(defun read-value (string pos)
  (let ((c (peek-char-at string pos)))
    (case c
      (#\{ (read-object string (1+ pos)))
      (#\[ (read-array string (1+ pos)))
      (#\" (read-string string (1+ pos)))
      (#\t (read-literal string pos "true" :true))
      (#\f (read-literal string pos "false" :false))
      (#\n (read-literal string pos "null" :null))
      (t (if (or (digit-char-p c) (char= c #\-))
             (read-number string pos)
             (json-fail "unexpected character ~S at offset ~D" c pos))))))

(defun read-literal (string pos word value)
  (let ((end (+ pos (length word))))
    (unless (and (<= end (length string)) (string= word string :start2 pos :end2 end))
      (json-fail "invalid literal at offset ~D" pos))
    (values value end)))

(defun read-number (string pos)
  (let ((end pos))
    (loop while (and (< end (length string))
                     (find (char string end) "+-0123456789.eE"))
          do (incf end))
    (let ((text (subseq string pos end)))
      (unless (every (lambda (ch) (find ch "+-0123456789.eE")) text)
        (json-fail "invalid number at offset ~D" pos))
      (values (if (find-if (lambda (ch) (find ch ".eE")) text)
                  (let ((*read-default-float-format* 'double-float)
                        (*read-eval* nil))
                    (let ((number (ignore-errors (read-from-string text))))
                      (unless (realp number)
                        (json-fail "invalid number at offset ~D" pos))
                      (float number 1d0)))
                  (or (ignore-errors (parse-integer text))
                      (json-fail "invalid number at offset ~D" pos)))
              end))))

(defun read-hex4 (string pos)
  (when (> (+ pos 4) (length string))
    (json-fail "truncated \\u escape at offset ~D" pos))
  (or (ignore-errors (parse-integer string :start pos :end (+ pos 4) :radix 16))
      (json-fail "invalid \\u escape at offset ~D" pos)))

(defun read-string (string pos)
  (let ((out (make-string-output-stream)))
    (loop
      (let ((c (peek-char-at string pos)))
        (incf pos)
        (cond ((char= c #\") (return (values (get-output-stream-string out) pos)))
              ((char= c #\\)
               (let ((e (peek-char-at string pos)))
                 (incf pos)
                 (case e
                   (#\" (write-char #\" out))
                   (#\\ (write-char #\\ out))
                   (#\/ (write-char #\/ out))
                   (#\b (write-char (code-char 8) out))
                   (#\f (write-char (code-char 12) out))
                   (#\n (write-char #\Newline out))
                   (#\r (write-char #\Return out))
                   (#\t (write-char #\Tab out))
                   (#\u (let ((code (read-hex4 string pos)))
                          (incf pos 4)
                          ;; A high surrogate followed by a low one is one character.
                          (when (and (<= #xD800 code #xDBFF)
                                     (< (+ pos 5) (length string))
                                     (char= (char string pos) #\\)
                                     (char= (char string (1+ pos)) #\u))
                            (let ((low (read-hex4 string (+ pos 2))))
                              (when (<= #xDC00 low #xDFFF)
                                (setf code (+ #x10000 (ash (- code #xD800) 10) (- low #xDC00)))
                                (incf pos 6))))
                          (write-char (code-char code) out)))
                   (t (json-fail "invalid escape \\~A at offset ~D" e (1- pos))))))
              ((< (char-code c) 32)
               (json-fail "control character in a string at offset ~D" (1- pos)))
              (t (write-char c out)))))))

(defun read-array (string pos)
  (let ((items '())
        (pos (skip-whitespace string pos)))
    (when (char= (peek-char-at string pos) #\])
      (return-from read-array (values '() (1+ pos))))
    (loop
      (multiple-value-bind (value next) (read-value string pos)
        (push value items)
        (setf pos (skip-whitespace string next)))
      (case (peek-char-at string pos)
        (#\, (setf pos (skip-whitespace string (1+ pos))))
        (#\] (return (values (nreverse items) (1+ pos))))
        (t (json-fail "expected , or ] at offset ~D" pos))))))

(defun read-object (string pos)
  (let ((members '())
        (pos (skip-whitespace string pos)))
    (when (char= (peek-char-at string pos) #\})
      (return-from read-object (values (list :object) (1+ pos))))
    (loop
      (unless (char= (peek-char-at string pos) #\")
        (json-fail "expected a member name at offset ~D" pos))
      (multiple-value-bind (key next) (read-string string (1+ pos))
        (setf pos (skip-whitespace string next))
        (unless (char= (peek-char-at string pos) #\:)
          (json-fail "expected : at offset ~D" pos))
        (multiple-value-bind (value next) (read-value string (skip-whitespace string (1+ pos)))
          (push (cons key value) members)
          (setf pos (skip-whitespace string next))))
      (case (peek-char-at string pos)
        (#\, (setf pos (skip-whitespace string (1+ pos))))
        (#\} (return (values (cons :object (nreverse members)) (1+ pos))))
        (t (json-fail "expected , or } at offset ~D" pos))))))

(defun jget (object key &optional default)
  "The member KEY of a JSON object read by PARSE-JSON, or DEFAULT."
  (if (and (consp object) (eq (car object) :object))
      (let ((cell (assoc key (cdr object) :test #'string=)))
        (if cell (cdr cell) default))
      default))

;;; Writing.  Objects to write are (:object (key . value) ...) as well.

(defstruct raw-json-string
  "A string written as it is, without escaping: TEXT up to END holds only characters that JSON
strings carry unescaped.  For big packed columns, which escaping a character at a time slows."
  (text "" :type simple-string)
  (end 0 :type fixnum))

(defun write-json-string (string stream)
  (write-char #\" stream)
  (loop for c across string
        for code = (char-code c)
        do (cond ((char= c #\") (write-string "\\\"" stream))
                 ((char= c #\\) (write-string "\\\\" stream))
                 ((char= c #\Newline) (write-string "\\n" stream))
                 ((char= c #\Return) (write-string "\\r" stream))
                 ((char= c #\Tab) (write-string "\\t" stream))
                 ;; Control characters and lone surrogates (which UTF-8 cannot carry).
                 ((or (< code 32) (= code 127) (<= #xD800 code #xDFFF))
                  (format stream "\\u~4,'0X" code))
                 (t (write-char c stream))))
  (write-char #\" stream))

(defun write-fixnum (n stream)
  "N, not negative, in decimal without FORMAT: recordings hold millions of frame ids."
  (declare (type (and fixnum unsigned-byte) n))
  (let ((digits (make-string 20))
        (end 20))
    (declare (dynamic-extent digits) (type fixnum end))
    (loop (multiple-value-bind (rest digit) (floor n 10)
            (decf end)
            (setf (schar digits end) (code-char (+ 48 digit))
                  n rest))
          (when (zerop n) (return)))
    (write-string digits stream :start end)))

(defun write-json-number (number stream)
  (if (integerp number)
      (if (typep number '(and fixnum unsigned-byte))
          (write-fixnum number stream)
          (format stream "~D" number))
      (let ((x (float number 1d0)))
        (cond ((or (sb-ext:float-infinity-p x) (sb-ext:float-nan-p x))
               (write-string "null" stream))
              (t (let ((*read-default-float-format* 'double-float))
                   (write-string (substitute #\e #\d (prin1-to-string x)) stream)))))))

(defun write-json (value stream)
  (cond ((eq value :true) (write-string "true" stream))
        ((eq value t) (write-string "true" stream))
        ((eq value :false) (write-string "false" stream))
        ((eq value :null) (write-string "null" stream))
        ((null value) (write-string "[]" stream))
        ((stringp value) (write-json-string value stream))
        ((raw-json-string-p value)
         (write-char #\" stream)
         (write-string (raw-json-string-text value) stream :end (raw-json-string-end value))
         (write-char #\" stream))
        ((keywordp value) (write-json-string (string-downcase (symbol-name value)) stream))
        ((symbolp value) (write-json-string (printed-name value) stream))
        ((realp value) (write-json-number value stream))
        ((and (consp value) (eq (car value) :object))
         (write-char #\{ stream)
         (loop for (key . item) in (cdr value)
               for first = t then nil
               do (unless first (write-char #\, stream))
                  (write-json-string key stream)
                  (write-char #\: stream)
                  (write-json item stream))
         (write-char #\} stream))
        ((or (listp value) (vectorp value))
         (write-char #\[ stream)
         (let ((first t))
           (map nil (lambda (item)
                      (unless first (write-char #\, stream))
                      (setf first nil)
                      (write-json item stream))
                value))
         (write-char #\] stream))
        (t (write-json-string (princ-to-string value) stream))))

(defun json-string (value)
  (with-output-to-string (out) (write-json value out)))

(defun obj (&rest keys-and-values)
  "A JSON object from alternating key strings and values."
  (cons :object (loop for (key value) on keys-and-values by #'cddr
                      collect (cons key value))))
